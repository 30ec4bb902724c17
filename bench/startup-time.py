#!/usr/bin/env python3
"""Start-up time of the release binary: from exec to READY=1 on the systemd notify socket.

Publishes artifacts/catchat if it is missing (or with --publish), then starts it RUNS times (default 5) the way
systemd would: NOTIFY_SOCKET points at a datagram socket of this script, and the parent process is a shell
copied under the name "systemd" (that is how .NET's systemd integration recognises systemd). Each run gets a
new data directory, so each start creates and migrates its SQLite database and admin token, as a first start
does. Reports every run and the median. The first run also unpacks the binary's native libraries into an empty
extraction directory (DOTNET_BUNDLE_EXTRACT_BASE_DIR); it is reported, and left out of the median.
Loopback only, bounded: each start gets 60 s.

    python3 bench/startup-time.py [RUNS] [--publish]
"""
import os, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "artifacts", "catchat")
TIMEOUT = 60


def child_of(pid):
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        children = f.read().split()
    return int(children[0]) if children else None


def one_start(work, extract_dir):
    data = tempfile.mkdtemp(prefix="data-", dir=work)
    notify_path = os.path.join(work, "notify.sock")
    if os.path.exists(notify_path):
        os.unlink(notify_path)
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(notify_path)
    env = dict(os.environ, NOTIFY_SOCKET=notify_path, DOTNET_BUNDLE_EXTRACT_BASE_DIR=extract_dir)
    # "; :" keeps the shell from exec-ing the binary, so the binary's parent really is the "systemd" shell.
    command = f"'{BINARY}' --bind 127.0.0.1 --chat-port 0 --irc-port 0 --http-port 0 --data-dir '{data}'; :"
    start = time.monotonic()
    parent = subprocess.Popen([os.path.join(work, "systemd"), "-c", command],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = start + TIMEOUT
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError(f"no READY=1 within {TIMEOUT} s")
            notify.settimeout(left)
            message = notify.recv(4096).decode(errors="replace")
            if "READY=1" in message.split("\n"):
                return time.monotonic() - start
    finally:
        catchat = child_of(parent.pid) if parent.poll() is None else None
        if catchat:
            os.kill(catchat, signal.SIGTERM)
        try:
            parent.wait(timeout=30)
        except subprocess.TimeoutExpired:
            parent.kill()
            parent.wait()
            print("  (had to kill the stand-in systemd after 30 s)", file=sys.stderr)
        notify.close()
        shutil.rmtree(data, ignore_errors=True)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    runs = int(args[0]) if args else 5
    if "--publish" in sys.argv or not os.path.exists(BINARY):
        subprocess.run(["bash", os.path.join(ROOT, "scripts", "publish.sh")], check=True)
    version = subprocess.run([BINARY, "--version"], capture_output=True, text=True, check=True).stdout.strip()

    work = tempfile.mkdtemp(prefix="catchat-startup-")
    try:
        shutil.copy("/bin/sh", os.path.join(work, "systemd"))
        extract_dir = os.path.join(work, "extract")
        os.mkdir(extract_dir)
        cold = one_start(work, extract_dir)
        print(f"{version}: first start, unpacking into an empty extraction directory: {cold * 1000:.0f} ms to READY=1")
        times = []
        for i in range(runs):
            seconds = one_start(work, extract_dir)
            times.append(seconds)
            print(f"run {i + 1}: {seconds * 1000:.0f} ms to READY=1")
        print(f"median of {runs} runs: {statistics.median(times) * 1000:.0f} ms from exec to READY=1 "
              f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}; new SQLite database each run)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
