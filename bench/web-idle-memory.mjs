// Memory per idle connection, web chat against netcat, in one run: starts the Release build of CatChat (fresh, on
// loopback) once per door, warms it with 20 clients, reads its settled resident memory, adds N clients that join and
// then say nothing, and reads it again. Run from the repository root after `dotnet build -c Release src/CatChat`:
//     node --experimental-websocket bench/web-idle-memory.mjs [N]        (N defaults to 5000)
// It talks to 127.0.0.1 only, and stops its server and its clients when done.
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const clients = Number(process.argv[2] ?? 5000);
const warm = 20;
const dll = 'src/CatChat/bin/Release/net10.0/CatChat.dll';
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

function freePort() {
    return new Promise(resolve => {
        const server = net.createServer().listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

function residentKib(pid) {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}

// Settled: three readings a second apart within 1 % of each other (30 s at most).
async function settledKib(pid) {
    let readings = [];
    for (let i = 0; i < 30; i++) {
        await sleep(1000);
        readings.push(residentKib(pid));
        readings = readings.slice(-3);
        if (readings.length === 3 && Math.max(...readings) - Math.min(...readings) <= Math.max(...readings) / 100) {
            break;
        }
    }
    return readings.at(-1);
}

async function startServer() {
    const [chatPort, httpPort] = [await freePort(), await freePort()];
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'catchat-idle-'));
    const server = spawn('dotnet', [dll, '--bind', '127.0.0.1', '--chat-port', chatPort, '--http-port', httpPort, '--irc-port', '0',
        '--data-dir', dataDir, '--presence-notices', 'false', '--history-replay', '0', '--flood-burst', '0',
        '--max-connections', String(clients * 2), '--join-announce-delay', '0'].map(String), { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
        try {
            if ((await fetch(`http://127.0.0.1:${httpPort}/healthz/live`)).ok) {
                return { server, chatPort, httpPort, dataDir };
            }
        } catch {
            // Not listening yet.
        }
        await sleep(200);
    }
    throw new Error('CatChat did not start');
}

function webClient(httpPort, nick) {
    return new Promise((resolve, reject) => {
        const socket = new WebSocket(`ws://127.0.0.1:${httpPort}/ws`);
        socket.onopen = () => socket.send(JSON.stringify({ type: 'hello', nick }));
        socket.onmessage = event => {
            if (JSON.parse(event.data).type === 'welcome') {
                resolve(socket);
            }
        };
        socket.onerror = () => reject(new Error('web client failed'));
    });
}

function netcatClient(chatPort) {
    return new Promise((resolve, reject) => {
        const socket = net.connect(chatPort, '127.0.0.1');
        let seen = '';
        socket.on('data', data => {
            seen += data;
            if (seen.includes('*** You are ')) {
                socket.removeAllListeners('data');
                socket.on('data', () => {});
                resolve(socket);
            }
        });
        socket.on('error', reject);
    });
}

async function connectAll(count, connect) {
    const opened = [];
    for (let i = 0; i < count; i += 100) {
        opened.push(...await Promise.all(Array.from({ length: Math.min(100, count - i) }, (_, j) => connect(i + j))));
    }
    return opened;
}

async function measure(door) {
    const { server, chatPort, httpPort, dataDir } = await startServer();
    const connect = door === 'web' ? i => webClient(httpPort, `w${i}`) : () => netcatClient(chatPort);
    try {
        const warmed = await connectAll(warm, i => connect(`warm${i}`));
        const before = await settledKib(server.pid);
        const idle = await connectAll(clients, connect);
        const after = await settledKib(server.pid);
        for (const socket of [...warmed, ...idle]) {
            door === 'web' ? socket.close() : socket.destroy();
        }
        return (after - before) / clients;
    } finally {
        server.kill('SIGTERM');
        await new Promise(resolve => server.on('exit', resolve));
        rmSync(dataDir, { recursive: true, force: true });
    }
}

const web = await measure('web');
const netcat = await measure('netcat');
console.log(`memory per idle connection, ${clients} connected: web ${web.toFixed(2)} KiB, netcat ${netcat.toFixed(2)} KiB`);
