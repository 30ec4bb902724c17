#!/usr/bin/env python3
"""History writer throughput against the chat's own rate, on SQLite and on a throwaway PostgreSQL.

Starts CatChat (Release) with flood control lifted and a history queue big enough to hold everything,
blasts N chat lines from one client to another, and reports: the chat's rate (lines delivered per
second to the receiver) and the history writer's sustained rate (lines stored per second, from
/metrics, until every line is stored). Median of several runs per database. A stopgap until the C#
bench tool lands; bounded and loopback only."""
import os, shutil, socket, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def metric(http_port, name):
    text = urllib.request.urlopen(f"http://127.0.0.1:{http_port}/metrics", timeout=10).read().decode()
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise RuntimeError("no metric " + name)

def wait_port(port, proc):
    for _ in range(400):
        if proc.poll() is not None:
            raise RuntimeError("server exited")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("server did not start")

def read_until(sock, marker, buf=b""):
    while marker not in buf:
        chunk = sock.recv(1 << 16)
        if not chunk:
            raise RuntimeError("closed")
        buf += chunk
    return buf

def one_run(dll, n, database):
    chat, http = free_port(), free_port()
    data = tempfile.mkdtemp(prefix="catchat-bench-")
    args = ["dotnet", dll, "--bind", "127.0.0.1", "--chat-port", str(chat), "--irc-port", "0", "--http-port", str(http), "--data-dir", data,
            "--flood-burst", "0", "--history-queue", str(n + 10000), "--history-replay", "0", "--join-announce-delay", "0",
            "--send-queue-bytes", str(256 << 20)]
    if database:
        args += ["--database", database]
    server = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(chat, server)
        receiver = socket.create_connection(("127.0.0.1", chat)); read_until(receiver, b"*** You are ")
        sender = socket.create_connection(("127.0.0.1", chat)); read_until(sender, b"*** You are ")
        time.sleep(0.5)
        base = metric(http, "catchat_history_lines_written_total")
        payload = b"".join(b"line %d of the history benchmark, sixty-four bytes or so...\r\n" % i for i in range(n))
        start = time.monotonic()
        sender.sendall(payload)
        got, buf = 0, b""
        last = b"line %d of" % (n - 1)
        while last not in buf[-4096:]:
            chunk = receiver.recv(1 << 20)
            if not chunk:
                raise RuntimeError("receiver closed")
            buf = buf[-4096:] + chunk
        chat_seconds = time.monotonic() - start
        while metric(http, "catchat_history_lines_written_total") - base < n:
            if time.monotonic() - start > 300:
                raise RuntimeError("history did not catch up in 300 s")
            time.sleep(0.05)
        history_seconds = time.monotonic() - start
        dropped = metric(http, "catchat_history_lines_dropped_total")
        return n / chat_seconds, n / history_seconds, dropped
    finally:
        server.terminate(); server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)

class Postgres:
    def __init__(self):
        bins = sorted(d for d in (os.path.join("/usr/lib/postgresql", v, "bin") for v in os.listdir("/usr/lib/postgresql")) if os.path.exists(os.path.join(d, "initdb")))
        self.bin = bins[-1]
        self.dir = tempfile.mkdtemp(prefix="catchat-bench-pg-")
        self.port = free_port()
        self.root = os.geteuid() == 0
        if self.root:
            shutil.chown(self.dir, "postgres", "postgres")
        self.run("initdb", "-D", self.dir + "/data", "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8")
        self.run("pg_ctl", "-D", self.dir + "/data", "-l", self.dir + "/log", "-w", "start",
                 "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1")
        self.count = 0
    def run(self, program, *args):
        cmd = [os.path.join(self.bin, program), *args]
        if self.root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    def database(self):
        self.count += 1
        name = f"bench{self.count}"
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return f"Host=127.0.0.1;Port={self.port};Username=postgres;Database={name}"
    def stop(self):
        self.run("pg_ctl", "-D", self.dir + "/data", "-m", "fast", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)

def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    out = os.path.join(ROOT, "artifacts", "bench-build")  # per checkout: parallel checkouts must not share it
    subprocess.run(["dotnet", "build", os.path.join(ROOT, "src", "CatChat"), "-c", "Release", "-o", out, "-v", "q", "-nologo"],
                   check=True, stdout=subprocess.DEVNULL)
    dll = os.path.join(out, "CatChat.dll")
    pg = Postgres()
    try:
        for label, database in (("SQLite", lambda: None), ("PostgreSQL", pg.database)):
            chats, histories = [], []
            for i in range(runs):
                chat_rate, history_rate, dropped = one_run(dll, n, database())
                chats.append(chat_rate); histories.append(history_rate)
                print(f"{label} run {i + 1}: chat {chat_rate:,.0f} lines/s, history {history_rate:,.0f} lines/s, dropped {dropped:.0f}")
            print(f"{label} median: chat {statistics.median(chats):,.0f} lines/s, history writer {statistics.median(histories):,.0f} lines/s "
                  f"({statistics.median(histories) / statistics.median(chats):.2f} of the chat's rate), N={n}, {runs} runs")
    finally:
        pg.stop()

if __name__ == "__main__":
    main()
