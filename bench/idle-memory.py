#!/usr/bin/env python3
"""Resident memory per idle chat connection: starts CatChat (Release build), opens N connections
that each read their greeting and then stay idle, and reports the growth of the server's VmRSS
divided by N. Medians of several runs; a stopgap until the C# bench tool lands."""
import os, socket, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def read_greeting(sock):
    data = b""
    while b"*** You are " not in data or not data.endswith(b"\r\n"):
        chunk = sock.recv(4096)
        if not chunk:
            raise RuntimeError("closed during greeting")
        data += chunk

def one_run(dll, n):
    port = free_port()
    server = subprocess.Popen(["dotnet", dll, "--bind", "127.0.0.1", "--chat-port", str(port), "--http-port", str(free_port()),
                               "--max-connections", str(n + 100), "--join-announce-delay", "3600"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        warm = [socket.create_connection(("127.0.0.1", port)) for _ in range(20)]
        for s in warm:
            read_greeting(s)
        time.sleep(1)
        before = rss_kib(server.pid)
        clients = []
        for _ in range(n):
            s = socket.create_connection(("127.0.0.1", port))
            read_greeting(s)
            clients.append(s)
        time.sleep(2)
        after = rss_kib(server.pid)
        for s in clients + warm:
            s.close()
        return before, after
    finally:
        server.terminate()
        server.wait(timeout=20)

def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    out = os.path.join("/tmp", "catchat-bench-build")
    subprocess.run(["dotnet", "build", os.path.join(ROOT, "src", "CatChat"), "-c", "Release", "-o", out, "-v", "q", "-nologo"],
                   check=True, stdout=subprocess.DEVNULL)
    dll = os.path.join(out, "CatChat.dll")
    per = []
    for i in range(runs):
        before, after = one_run(dll, n)
        per.append((after - before) * 1024 / n)
        print(f"run {i + 1}: RSS {before} KiB -> {after} KiB with {n} idle connections: {per[-1] / 1024:.2f} KiB each")
    print(f"median: {statistics.median(per) / 1024:.2f} KiB per idle connection (N={n}, {runs} runs)")

if __name__ == "__main__":
    main()
