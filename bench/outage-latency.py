#!/usr/bin/env python3
"""Chat latency with the database present and with it gone (SQLite file moved away mid-run).

One sender sends timestamped lines at a fixed rate to one receiver through CatChat (Release build);
the receiver records each line's delivery latency. Three phases of the same length: database up,
database gone, database back. Reports p50/p99/max per phase, and the history counters. Loopback only,
bounded in time."""
import os, shutil, socket, statistics, subprocess, sys, tempfile, threading, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def metric(port, name):
    for line in urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode().splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])

def connect(port):
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buf = b""
    while b"*** You are " not in buf:
        buf += s.recv(4096)
    return s

def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]

def main():
    rate = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10
    out = "/tmp/catchat-bench-build"
    subprocess.run(["dotnet", "build", os.path.join(ROOT, "src", "CatChat"), "-c", "Release", "-o", out, "-v", "q", "-nologo"],
                   check=True, stdout=subprocess.DEVNULL)
    chat, http = free_port(), free_port()
    data = tempfile.mkdtemp(prefix="catchat-outage-")
    server = subprocess.Popen(["dotnet", os.path.join(out, "CatChat.dll"), "--bind", "127.0.0.1", "--chat-port", str(chat), "--irc-port", "0",
                               "--http-port", str(http), "--data-dir", data, "--flood-burst", "0", "--history-replay", "0",
                               "--join-announce-delay", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(400):
            try:
                socket.create_connection(("127.0.0.1", chat), timeout=1).close(); break
            except OSError:
                time.sleep(0.05)
        receiver, sender = connect(chat), connect(chat)
        latencies = {}
        def receive():
            buf = b""
            while True:
                chunk = receiver.recv(1 << 16)
                if not chunk:
                    return
                buf += chunk
                *lines, buf = buf.split(b"\r\n")
                now = time.perf_counter()
                for line in lines:
                    if b"> t " in line:
                        phase, sent = line.split(b"> t ")[1].split(b" ")[:2]
                        latencies.setdefault(phase.decode(), []).append(now - float(sent))
        threading.Thread(target=receive, daemon=True).start()
        time.sleep(0.5)
        database = os.path.join(data, "catchat.db")
        for phase in ("up", "gone", "back"):
            if phase == "gone":
                os.rename(database, database + ".away")
            if phase == "back":
                os.remove(database)
                os.rename(database + ".away", database)
            interval, next_send = 1.0 / rate, time.perf_counter()
            end = next_send + seconds
            while next_send < end:
                delay = next_send - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                sender.sendall(b"t %s %.9f\r\n" % (phase.encode(), time.perf_counter()))
                next_send += interval
        time.sleep(1)
        for phase in ("up", "gone", "back"):
            values = [v * 1000 for v in latencies.get(phase, [])]
            print(f"database {phase:4}: {len(values)} lines, p50 {statistics.median(values):.3f} ms, "
                  f"p99 {percentile(values, 0.99):.3f} ms, max {max(values):.3f} ms")
        print(f"history written {metric(http, 'catchat_history_lines_written_total'):.0f}, "
              f"dropped {metric(http, 'catchat_history_lines_dropped_total'):.0f}, "
              f"failed writes {metric(http, 'catchat_history_write_failures_total'):.0f}")
    finally:
        server.terminate(); server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)

if __name__ == "__main__":
    main()
