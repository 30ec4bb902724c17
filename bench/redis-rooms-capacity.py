#!/usr/bin/env python3
"""What the backplane's room traffic costs Redis, and what a room line costs a CatChat node: the inputs of the
capacity model in docs/scaling.md.

    python3 bench/redis-rooms-capacity.py bus  [--nodes 10] [--repeat 3]   one Redis beside a 3-master Redis Cluster
    python3 bench/redis-rooms-capacity.py node [--repeat 3]                one CatChat node fed room lines from Redis

bus: 10,000 room channels named as CatChat names them (catchat:room:#r-00000 ...), each subscribed by F of K
connections that stand in for K nodes (channel c by nodes c, c+1, ..., c+F-1 mod K, so every node hears about
F/K of the rooms), and publisher connections that keep a pipeline of SPUBLISH (or PUBLISH) commands in flight
(closed loop), one message the size of a room line's envelope. Each case runs on one Redis and then on a Redis
Cluster of 3 masters (started as tests/CatChat.Testing/RedisCluster.cs does: free ports, a temporary directory
each, `redis-cli --cluster create`), interleaved, every repeat on freshly started servers. On the cluster a node
has one connection per master (as StackExchange.Redis has) and each channel is published to and subscribed on
the master that owns its slot. Every Redis process runs on core 1, this script on core 0: the cluster's masters
share one core, so what the cluster shows is how the work splits over its masters and what one unit of it costs
each, not wall-clock scaling. Per case: publishes/s, deliveries/s, each Redis process's CPU time, and from them
microseconds of Redis CPU per publish. After the measured period the publishers stop and every subscriber must
have received exactly F deliveries per acknowledged publish ("check" ok), or the case fails.

Also: the control channel (catchat:chat, one channel heard by all K), sharded and, on the cluster, classic
PUBLISH (which every master relays to every other); and the heartbeat's nickname claims (the Claim script of
src/CatChat/Backplane/RedisScripts.cs, 1,000 keys per call under the {catchat} hash tag, so on the cluster all
on one master).

node: one CatChat node (this checkout's Release build, the bench tool's settings, --redis) and its Redis on
core 1; M local members in each of 1,000 rooms (Python clients that /join #r-NNNNN); room-line envelopes
published straight onto the rooms' channels at a fixed rate by a stand-in for another node, so the node only
receives, decodes and delivers. CatChat's CPU per line in, for M = 1 and 10 and with lines to rooms the node has
nobody in (M = 0: it must not hear them), and at rate 0 (its idle cost, subtracted).

Loopback only; every server this script starts is stopped by its process id; each run is bounded (a few
minutes in all). JSON lines go to bench/results/<timestamp>-capacity/results.jsonl, and a summary is printed.
"""
import argparse, json, os, selectors, shutil, socket, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TICKS = os.sysconf("SC_CLK_TCK")
SERVER_CPU = "1"
CHANNELS = 10_000
SETTLE_TIMEOUT = 20

# A room line's envelope as a node publishes it for a 64-byte line (see Backplane/Envelope.cs), padded to width.
# The text carries a marker found nowhere else in what a client receives, so the node's deliveries can be counted.
MARKER = b"~zq~"
LINE = MARKER + b"." * 60


def envelope(seq, room, text=LINE):
    return (b'{"v":1,"kind":"roomsay","node":"node07-3f9c01d2","name":"node07","seq":%d,"nick":"alice0042",'
            b'"text":"%s","room":"#r-%05d"}' % (seq, text, room))


PAYLOAD = envelope(1_000_000, 0)


def room_channel(room):
    return b"catchat:room:#r-%05d" % room


CONTROL = b"catchat:chat"

# The heartbeat's claim on its users' nicknames, as in src/CatChat/Backplane/RedisScripts.cs.
CLAIM = b"""local lost = {}
for i, key in ipairs(KEYS) do
  local holder = redis.call('GET', key)
  if holder == false or holder == ARGV[i + 1] then
    redis.call('SET', key, ARGV[i + 1], 'PX', ARGV[1])
  else
    table.insert(lost, i)
  end
end
return lost"""


# --- RESP -------------------------------------------------------------------------------------------------------

def command(*args):
    parts = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(parts)


class Reply:
    """A blocking reader of whole RESP2 replies, for setting up (not for the measured traffic)."""

    def __init__(self, sock):
        self.sock, self.buf = sock, b""

    def _line(self):
        while b"\r\n" not in self.buf:
            self._more()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _more(self):
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise RuntimeError("Redis closed the connection")
        self.buf += chunk

    def read(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError("Redis: " + rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self._more()
            value, self.buf = self.buf[:n], self.buf[n + 2:]
            return value
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise RuntimeError("unexpected reply: %r" % line[:80])


def call(port, *args):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(command(*args))
        return Reply(s).read()


# --- Redis Cluster hash slots -----------------------------------------------------------------------------------

def _crc16_table():
    table = []
    for i in range(256):
        crc = i << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
        table.append(crc & 0xFFFF)
    return table


CRC16 = _crc16_table()


def slot(name):
    start = name.find(b"{")
    if start >= 0:
        end = name.find(b"}", start + 1)
        if end > start + 1:
            name = name[start + 1:end]
    crc = 0
    for byte in name:
        crc = ((crc << 8) & 0xFFFF) ^ CRC16[((crc >> 8) ^ byte) & 0xFF]
    return crc % 16384


# --- processes ----------------------------------------------------------------------------------------------------

def free_port():
    """A free loopback port whose cluster bus port (+10,000) is free too."""
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port > 55_000:
            continue
        try:
            with socket.socket() as s:
                s.bind(("127.0.0.1", port + 10_000))
            return port
        except OSError:
            continue
    raise RuntimeError("no free port pair")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def loadavg():
    """The machine's 1-minute load average: on 2 cores, anything much above 2 means others were busy too."""
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def core_busy(core):
    """Seconds core `core` has spent busy (anything but idle and iowait) since boot, from /proc/stat."""
    with open("/proc/stat") as f:
        for line in f:
            if line.startswith(f"cpu{core} "):
                v = [int(x) for x in line.split()[1:]]
                return (sum(v[:8]) - v[3] - v[4]) / TICKS
    return 0.0


class Interference:
    """How much of the servers' core others used in a measured period: the machine is shared."""

    def __init__(self):
        self.start = core_busy(SERVER_CPU)

    def others(self, seconds, server_cpu):
        return round(max(0.0, core_busy(SERVER_CPU) - self.start - server_cpu) / seconds, 3)


def wait_port(port, proc, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited ({proc.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on {port} within {timeout} s")


class Redis:
    """One redis-server on core 1 (the benchmark's Redis settings), stopped by its process id."""

    def __init__(self, cluster=False):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="catchat-capacity-redis-")
        args = ["taskset", "-c", SERVER_CPU, "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", self.dir, "--maxclients", "100000",
                "--client-output-buffer-limit", "pubsub 256mb 256mb 0", "--loglevel", "warning"]
        if cluster:
            args += ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.pid = self.proc.pid  # taskset execs redis-server: same process
        wait_port(self.port, self.proc, "redis-server")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)


class Servers:
    """One Redis, or a Redis Cluster of several masters; knows which server owns a channel or key."""

    def __init__(self, masters):
        self.cluster = masters > 1
        self.redis = []
        try:
            self.redis = [Redis(cluster=self.cluster) for _ in range(masters)]
            self.ranges = [[(0, 16383)]]
            if self.cluster:
                self._create()
        except BaseException:
            self.stop()
            raise

    @property
    def name(self):
        return f"cluster{len(self.redis)}" if self.cluster else "single"

    def _create(self):
        addresses = [f"127.0.0.1:{r.port}" for r in self.redis]
        subprocess.run(["redis-cli", "--cluster", "create", *addresses, "--cluster-replicas", "0", "--cluster-yes"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        deadline = time.monotonic() + 30
        while not all(b"cluster_state:ok" in call(r.port, "CLUSTER", "INFO") for r in self.redis):
            if time.monotonic() > deadline:
                raise RuntimeError("the cluster did not reach cluster_state:ok within 30 s")
            time.sleep(0.1)
        by_port = {r.port: i for i, r in enumerate(self.redis)}
        self.ranges = [[] for _ in self.redis]
        for line in call(self.redis[0].port, "CLUSTER", "NODES").decode().splitlines():
            fields = line.split()
            port = int(fields[1].split("@")[0].rsplit(":", 1)[1])
            for part in fields[8:]:
                if "-" in part and not part.startswith("["):
                    low, high = part.split("-")
                    self.ranges[by_port[port]].append((int(low), int(high)))
                elif part.isdigit():
                    self.ranges[by_port[port]].append((int(part), int(part)))

    def owner(self, name):
        if not self.cluster:
            return 0
        s = slot(name)
        for i, ranges in enumerate(self.ranges):
            if any(low <= s <= high for low, high in ranges):
                return i
        raise RuntimeError(f"no master owns slot {s}")

    def cpu(self):
        return [cpu_seconds(r.pid) for r in self.redis]

    def stop(self):
        for r in self.redis:
            r.stop()


# --- the bus measurement ------------------------------------------------------------------------------------------

def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


class Subscriber:
    """One node's connection to one server: subscribes, then counts the bytes of the deliveries it receives."""

    def __init__(self, port, channels, sharded):
        self.sock = connect(port)
        verb = b"SSUBSCRIBE" if sharded else b"SUBSCRIBE"
        for i in range(0, len(channels), 1000):
            self.sock.sendall(b"".join(command(verb, c) for c in channels[i:i + 1000]))
        marker, seen, tail = b"subscribe\r\n", 0, b""
        while seen < len(channels):
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise RuntimeError("Redis closed a subscriber")
            data = tail + chunk
            if b"\r\n-" in data or data.startswith(b"-"):
                raise RuntimeError("Redis refused a subscription: " + data[data.find(b"-"):][:120].decode(errors="replace"))
            seen += data.count(marker)
            tail = data[-(len(marker) - 1):]
        self.channels = len(channels)
        self.bytes = 0


class Publisher:
    """Keeps `depth` publishes in flight on one connection, over its channels in turn."""

    def __init__(self, port, channels, sharded, depth):
        self.sock = connect(port)
        verb = b"SPUBLISH" if sharded else b"PUBLISH"
        self.commands = [command(verb, c, PAYLOAD) for c in channels]
        self.depth, self.next, self.acked, self.in_flight, self.error = depth, 0, 0, 0, None
        self.sending, self.owed = True, 0

    def send(self, n):
        parts = []
        for _ in range(n):
            parts.append(self.commands[self.next])
            self.next = (self.next + 1) % len(self.commands)
        self.sock.sendall(b"".join(parts))
        self.in_flight += n

    def on_readable(self):
        data = self.sock.recv(1 << 16)
        if not data:
            raise RuntimeError("Redis closed a publisher")
        if b"-" in data and self.error is None:
            self.error = data.split(b"\r\n")[0][:120].decode(errors="replace")
        n = data.count(b"\n")
        self.acked += n
        self.in_flight -= n
        if self.sending:
            self.owed += n

    def catch_up(self):
        if self.sending and self.owed:
            n, self.owed = self.owed, 0
            self.send(n)


class Pacer:
    """A fixed total rate over the publishers, in turn, paced by the clock (never by replies)."""

    def __init__(self, rate, publishers):
        self.rate, self.publishers, self.start, self.sent, self.turn = rate, publishers, time.monotonic(), 0, 0
        for p in publishers:
            p.sending = False

    def step(self):
        due = int((time.monotonic() - self.start) * self.rate) - self.sent
        if due <= 0:
            return
        counts = [0] * len(self.publishers)
        for _ in range(due):
            counts[self.turn] += 1
            self.turn = (self.turn + 1) % len(self.publishers)
        for p, n in zip(self.publishers, counts):
            if n:
                p.send(n)
        self.sent += due


def layout(k_nodes, fanout, channels):
    """Which nodes hear each channel: channel c by nodes c, c+1, ..., c+F-1 (mod K)."""
    return [[(c + j) % k_nodes for j in range(fanout)] for c in range(len(channels))]


def bus_case(servers, case, warmup, measure):
    """One case on one set of servers; returns its figures as a dict."""
    sharded, depth, k_nodes, fanout = case["sharded"], case["depth"], case["nodes"], case["fanout"]
    channels = [CONTROL] if case["channel"] == "control" else [room_channel(c) for c in range(CHANNELS)]
    # Classic pub/sub on a cluster too goes to the master that owns the channel's slot, as StackExchange.Redis
    # routes it; that master then relays every PUBLISH to all the others over the cluster bus.
    owners = [servers.owner(c) for c in channels]
    heard, owned = {}, {}
    for i, (c, nodes) in enumerate(zip(channels, layout(k_nodes, fanout, channels))):
        owned.setdefault(owners[i], []).append(c)
        for node in nodes:
            heard.setdefault((node, owners[i]), []).append(c)
    frame = len(command(b"smessage" if sharded else b"message", channels[0], PAYLOAD))
    sel = selectors.DefaultSelector()
    subscribers, publishers = [], []
    try:
        for (node, server), mine in sorted(heard.items()):
            subscribers.append(Subscriber(servers.redis[server].port, mine, sharded))
        # The same number of publisher connections in all, spread over the servers that own a channel.
        per_server = max(1, case["publishers"] // len(owned))
        for server, mine in sorted(owned.items()):
            for p in range(per_server):
                publishers.append(Publisher(servers.redis[server].port, mine[p::per_server] or mine, sharded, depth))
        buffer = bytearray(1 << 20)
        view = memoryview(buffer)
        for s in subscribers:
            sel.register(s.sock, selectors.EVENT_READ, s)
        for p in publishers:
            sel.register(p.sock, selectors.EVENT_READ, p)
        pacer = Pacer(case["rate"], publishers) if case.get("rate") else None
        if pacer is None:
            for p in publishers:
                p.send(p.depth)

        # Publishes wait while more than two windows' worth of deliveries are still on their way, so the loop is
        # bound by what Redis delivers, not by what it accepts into its output buffers.
        backlog_limit = 2 * depth * len(publishers) * max(1, fanout) * frame
        received, stopping = [0], [False]

        def pump(seconds):
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                if pacer and not stopping[0]:
                    pacer.step()
                for key, _ in sel.select(0.002 if pacer else 0.05):
                    item = key.data
                    if isinstance(item, Subscriber):
                        n = item.sock.recv_into(view)
                        if n == 0:
                            raise RuntimeError("Redis closed a subscriber (output buffer limit?)")
                        item.bytes += n
                        received[0] += n
                    else:
                        item.on_readable()
                if sum(p.acked for p in publishers) * fanout * frame - received[0] <= backlog_limit:
                    for p in publishers:
                        p.catch_up()

        def snapshot():
            return (time.monotonic(), sum(p.acked for p in publishers), sum(s.bytes for s in subscribers),
                    servers.cpu(), time.process_time())

        pump(warmup)
        t0, acked0, bytes0, cpu0, own0 = snapshot()
        core = Interference()
        pump(measure)
        t1, acked1, bytes1, cpu1, own1 = snapshot()
        others = core.others(t1 - t0, sum(cpu1) - sum(cpu0))
        stopping[0] = True
        for p in publishers:
            p.sending = False
        deadline = time.monotonic() + SETTLE_TIMEOUT
        expected = lambda: sum(p.acked for p in publishers) * fanout * frame
        while time.monotonic() < deadline and (any(p.in_flight for p in publishers)
                                               or sum(s.bytes for s in subscribers) < expected()):
            pump(0.05)
        pump(0.2)  # anything beyond the expected would be a duplicate
        got, want = sum(s.bytes for s in subscribers), expected()
        errors = [p.error for p in publishers if p.error]
        seconds = t1 - t0
        cpu = [b - a for a, b in zip(cpu0, cpu1)]
        publishes = (acked1 - acked0) / seconds
        deliveries = (bytes1 - bytes0) / frame / seconds
        return {
            "publishes_per_s": round(publishes), "deliveries_per_s": round(deliveries),
            "server_cpu_s": [round(c, 2) for c in cpu], "server_cpu_share": round(sum(cpu) / seconds, 3),
            "us_per_publish": round(sum(cpu) * 1e6 / max(1, acked1 - acked0), 3),
            "us_per_publish_by_server": [round(c * 1e6 / max(1, acked1 - acked0), 3) for c in cpu],
            "subscriptions": sum(s.channels for s in subscribers), "connections": len(subscribers) + len(publishers),
            "loadgen_cpu_share": round((own1 - own0) / seconds, 3), "others_on_server_core": others,
            "measured_s": round(seconds, 2),
            "check": "ok" if got == want and not errors else f"received {got // frame} of {want // frame}; {errors[:1]}",
        }
    finally:
        for s in subscribers:
            s.sock.close()
        for p in publishers:
            p.sock.close()
        sel.close()


def claim_case(servers, case, warmup, measure):
    """The heartbeat's nickname claims: EVALSHA of the Claim script over 1,000 {catchat} keys, `depth` calls in flight."""
    owner = servers.owner(b"{catchat}:nick:x")
    port = servers.redis[owner].port
    sha = call(port, "SCRIPT", "LOAD", CLAIM)
    keys = case["keys"]
    calls = []
    for start in range(0, case["users"], keys):
        names = [b"{catchat}:nick:user%06d" % u for u in range(start, start + keys)]
        holders = [b"node%02d-3f9c01d2 c%06d" % (u % 100, u) for u in range(start, start + keys)]
        calls.append(command(b"EVALSHA", sha, keys, *names, b"5000", *holders))
    sel = selectors.DefaultSelector()
    conns = []
    try:
        for _ in range(case["publishers"]):
            p = Publisher(port, [b"x"], True, case["depth"])
            p.commands = calls[len(conns)::case["publishers"]] or calls
            conns.append(p)
            sel.register(p.sock, selectors.EVENT_READ, p)
        pacer = Pacer(case["rate"], conns) if case.get("rate") else None
        if pacer is None:
            for p in conns:
                p.send(p.depth)
        stopping = [False]
        # An EVALSHA reply is an array (the lost positions): "*0\r\n" when none is lost, one "\n" a call.

        def pump(seconds):
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                if pacer and not stopping[0]:
                    pacer.step()
                for key, _ in sel.select(0.002 if pacer else 0.05):
                    key.data.on_readable()
                    key.data.catch_up()

        pump(warmup)
        t0, a0, c0, o0 = time.monotonic(), sum(p.acked for p in conns), servers.cpu(), time.process_time()
        core = Interference()
        pump(measure)
        t1, a1, c1, o1 = time.monotonic(), sum(p.acked for p in conns), servers.cpu(), time.process_time()
        others = core.others(t1 - t0, sum(c1) - sum(c0))
        stopping[0] = True
        for p in conns:
            p.sending = False
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while time.monotonic() < deadline and any(p.in_flight for p in conns):
            pump(0.05)
        errors = [p.error for p in conns if p.error]
        cpu = [b - a for a, b in zip(c0, c1)]
        claimed = (a1 - a0) * keys
        seconds = t1 - t0
        return {
            "keys_per_s": round(claimed / seconds), "server_cpu_s": [round(c, 2) for c in cpu],
            "server_cpu_share": round(sum(cpu) / seconds, 3), "us_per_key": round(sum(cpu) * 1e6 / max(1, claimed), 3),
            "owner": owner, "loadgen_cpu_share": round((o1 - o0) / seconds, 3), "others_on_server_core": others,
            "measured_s": round(seconds, 2),
            "check": "ok" if not errors and not any(p.in_flight for p in conns) else f"{errors[:1]}",
        }
    finally:
        for p in conns:
            p.sock.close()
        sel.close()


def idle_case(servers, case, warmup, measure):
    """No traffic: what the servers spend on their own (a cluster's masters ping each other over the bus)."""
    time.sleep(warmup)
    c0, t0, core = servers.cpu(), time.monotonic(), Interference()
    time.sleep(measure)
    c1, t1 = servers.cpu(), time.monotonic()
    cpu = [b - a for a, b in zip(c0, c1)]
    return {"server_cpu_s": [round(c, 2) for c in cpu], "server_cpu_share": round(sum(cpu) / (t1 - t0), 3),
            "loadgen_cpu_share": 0.0, "others_on_server_core": core.others(t1 - t0, sum(cpu)),
            "measured_s": round(t1 - t0, 2), "check": "ok"}


def bus_cases(k_nodes):
    """Every case of the bus run, in the order each repeat runs them. Batched: 6 publisher connections with 128
    publishes in flight each, so Redis always has a backlog (a busy node's writer sends up to 512 at once).
    Unbatched: 48 connections with one publish in flight each, as many quiet nodes would send."""
    def rooms(fanout, batched=True, sharded=True):
        return {"name": f"rooms F={fanout} of K={k_nodes}{'' if sharded else ', classic'}{'' if batched else ', unbatched'}",
                "kind": "bus", "channel": "rooms", "sharded": sharded, "nodes": k_nodes, "fanout": fanout,
                "depth": 128 if batched else 1, "publishers": 6 if batched else 48}

    def control(sharded, batched=True):
        return {"name": f"control channel, K={k_nodes}{'' if sharded else ', classic'}{'' if batched else ', unbatched'}",
                "kind": "bus", "channel": "control", "sharded": sharded, "nodes": k_nodes, "fanout": k_nodes,
                "depth": 128 if batched else 1, "publishers": 6 if batched else 48}

    # At the capacity model's own rates (docs/scaling.md): 10,000 rooms of 10 members placed at random, so a room
    # is heard by K(1 - (1 - 1/K)^10) nodes (6.5 of 10, 9.6 of 100), 0.5 lines/s each; the control channel at 250
    # envelopes/s; every user's nickname claimed once a second, 100,000 users.
    heard_by = 7 if k_nodes <= 10 else 10
    model = [
        {"name": f"model: rooms 5,000/s, F={heard_by} of K={k_nodes}", "kind": "bus", "channel": "rooms", "sharded": True,
         "nodes": k_nodes, "fanout": heard_by, "depth": 1, "publishers": 48, "rate": 5000},
        {"name": f"model: control 250/s, K={k_nodes}", "kind": "bus", "channel": "control", "sharded": True,
         "nodes": k_nodes, "fanout": k_nodes, "depth": 1, "publishers": 48, "rate": 250},
        {"name": "model: nickname claims 100,000 keys/s", "kind": "claim", "users": 100_000, "keys": 1000, "depth": 1,
         "publishers": 10, "rate": 100},
    ]
    fanouts = [0, 1, 3, 10] if k_nodes <= 10 else [1, 10]
    return model + ([rooms(f) for f in fanouts] + [rooms(1, batched=False), rooms(10, batched=False)]
            + ([rooms(3, sharded=False)] if k_nodes <= 10 else [])
            + [control(True), control(True, batched=False), control(False)]
            + ([{"name": "nickname claims, 1,000 keys a call", "kind": "claim", "users": 100_000, "keys": 1000,
                 "depth": 2, "publishers": 2}, {"name": "idle", "kind": "idle"}] if k_nodes <= 10 else []))


def run_bus(args, results):
    cases = bus_cases(args.nodes)
    for repeat in range(args.repeat):
        for case in cases:
            for masters in (1, 3):
                servers = Servers(masters)
                try:
                    run = {"bus": bus_case, "claim": claim_case, "idle": idle_case}[case["kind"]]
                    figures = run(servers, case, args.warmup, args.measure)
                finally:
                    servers.stop()
                line = {"scenario": "bus", "case": case["name"], "servers": servers.name, "repeat": repeat + 1,
                        **{k: v for k, v in case.items() if k != "name"}, **figures,
                        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "loadavg": loadavg()}
                results.write(json.dumps(line) + "\n")
                results.flush()
                print(f"  {case['name']:<40} {servers.name:<9} " + (
                    f"{line.get('publishes_per_s', 0):>9,} pub/s {line.get('deliveries_per_s', 0):>10,} del/s "
                    f"{line.get('us_per_publish', 0):7.2f} us/pub" if case["kind"] == "bus"
                    else f"{line['keys_per_s']:>9,} keys/s {line['us_per_key']:7.3f} us/key" if case["kind"] == "claim"
                    else "no traffic")
                    + f"  cpu {line['server_cpu_share']:.2f} {line['server_cpu_s']} loadgen {line['loadgen_cpu_share']:.2f}"
                    + f" others {line['others_on_server_core']:.2f}"
                    + f"  {line['check']}", flush=True)


# --- the node measurement -----------------------------------------------------------------------------------------

def catchat_dll():
    dll = os.path.join(ROOT, "src", "CatChat", "bin", "Release", "net10.0", "CatChat.dll")
    if not os.path.exists(dll):
        raise RuntimeError("build CatChat first: dotnet build -c Release src/CatChat")
    return dll


class Node:
    """One CatChat node on core 1 with the bench tool's settings, joined to `redis`."""

    def __init__(self, redis):
        self.port, http = free_port(), free_port()
        self.data = tempfile.mkdtemp(prefix="catchat-capacity-node-")
        args = ["taskset", "-c", SERVER_CPU, "dotnet", catchat_dll(), "--bind", "127.0.0.1",
                "--chat-port", str(self.port), "--http-port", str(http), "--data-dir", self.data,
                "--history-replay", "0", "--flood-burst", "0", "--max-connections", "10000000",
                "--max-connections-per-ip", "10000000", "--presence-notices", "false", "--send-queue-bytes", "67108864",
                "--idle-timeout", "0", "--redis", f"127.0.0.1:{redis.port}", "--node-name", "node01"]
        self.log = open(os.path.join(self.data, "server.log"), "wb")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        self.pid = self.proc.pid
        wait_port(self.port, self.proc, "CatChat")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)
        self.log.close()
        shutil.rmtree(self.data, ignore_errors=True)


def join_clients(port, rooms, members):
    """members clients in each of `rooms` rooms, each joined with /join; returns their sockets once all are in."""
    clients = []
    for m in range(members):
        batch = []
        for r in range(rooms):
            s = socket.create_connection(("127.0.0.1", port), timeout=30)
            s.sendall(b"/join #r-%05d\r\n" % r)
            batch.append(s)
            if len(batch) == 64 or r == rooms - 1:
                for b in batch:
                    data = b""
                    while b"*** You joined" not in data:
                        chunk = b.recv(1 << 16)
                        if not chunk:
                            raise RuntimeError("CatChat closed a client while it joined")
                        if b"\n! " in chunk or chunk.startswith(b"! "):
                            raise RuntimeError("CatChat refused a join: " + chunk.decode(errors="replace")[:200])
                        data += chunk
                clients.extend(batch)
                batch = []
    return clients


def node_case(case, warmup, measure):
    redis = Redis()
    node = None
    clients = []
    try:
        node = Node(redis)
        rooms, members, rate = case["rooms"], case["members"], case["rate"]
        clients = join_clients(node.port, rooms, members)
        # The node subscribes a room's channel when the room opens on it: wait until Redis has them all.
        deadline = time.monotonic() + 30
        while members and len(call(redis.port, "PUBSUB", "SHARDCHANNELS", "catchat:room:*")) < rooms:
            if time.monotonic() > deadline:
                raise RuntimeError("the node did not subscribe to every room within 30 s")
            time.sleep(0.05)
        heard = len(call(redis.port, "PUBSUB", "SHARDCHANNELS", "catchat:room:*"))
        # Start-up and the joins leave work behind (compilation, collection): wait until the node is quiet (bounded).
        settle = time.monotonic() + 15
        while time.monotonic() < settle:
            before = cpu_seconds(node.pid)
            time.sleep(0.5)
            if cpu_seconds(node.pid) - before <= 0.02:
                break
        publisher = connect(redis.port)
        publisher.setblocking(False)
        sel = selectors.DefaultSelector()
        for c in clients:
            c.setblocking(False)
            sel.register(c, selectors.EVENT_READ, None)
        sel.register(publisher, selectors.EVENT_READ, "publisher")
        buffer = bytearray(1 << 16)
        view = memoryview(buffer)
        marker = MARKER
        state = {"seq": 0, "sent": 0, "acked": 0, "lines": 0, "tail": {}}
        start = time.monotonic()

        def pump(until, sending):
            while True:
                now = time.monotonic()
                if now >= until:
                    return
                if sending and rate:
                    due = int((now - start) * rate) - state["sent"]
                    if due > 0:
                        parts = []
                        for _ in range(due):
                            state["seq"] += 1
                            room = state["seq"] % rooms
                            parts.append(command(b"SPUBLISH", room_channel(room), envelope(state["seq"], room)))
                        publisher.setblocking(True)
                        publisher.sendall(b"".join(parts))
                        publisher.setblocking(False)
                        state["sent"] += due
                for key, _ in sel.select(0.002):
                    if key.data == "publisher":
                        state["acked"] += publisher.recv(1 << 16).count(b"\n")
                    else:
                        n = key.fileobj.recv_into(view)
                        if n == 0:
                            raise RuntimeError("CatChat closed a client")
                        tail = state["tail"].get(key.fd, b"")
                        data = tail + bytes(view[:n])
                        state["lines"] += data.count(marker)
                        state["tail"][key.fd] = data[-(len(marker) - 1):]

        pump(time.monotonic() + warmup, True)
        t0, s0, l0, n0, r0, o0 = (time.monotonic(), state["sent"], state["lines"], cpu_seconds(node.pid),
                                  cpu_seconds(redis.pid), time.process_time())
        core = Interference()
        pump(t0 + measure, True)
        t1, s1, l1, n1, r1, o1 = (time.monotonic(), state["sent"], state["lines"], cpu_seconds(node.pid),
                                  cpu_seconds(redis.pid), time.process_time())
        others = core.others(t1 - t0, (n1 - n0) + (r1 - r0))
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while time.monotonic() < deadline and (state["acked"] < state["sent"] or state["lines"] < state["sent"] * members):
            pump(time.monotonic() + 0.05, False)
        pump(time.monotonic() + 0.3, False)
        seconds = t1 - t0
        want = state["sent"] * members
        return {
            "lines_in_per_s": round((s1 - s0) / seconds), "deliveries_per_s": round((l1 - l0) / seconds),
            "node_cpu_s": round(n1 - n0, 2), "node_cpu_share": round((n1 - n0) / seconds, 3),
            "redis_cpu_s": round(r1 - r0, 2), "channels_heard": heard, "clients": len(clients),
            "loadgen_cpu_share": round((o1 - o0) / seconds, 3), "others_on_server_core": others,
            "measured_s": round(seconds, 2),
            "check": "ok" if state["lines"] == want else f"received {state['lines']} of {want}",
        }
    finally:
        for c in clients:
            c.close()
        if node:
            node.stop()
        redis.stop()


def run_node(args, results):
    rates = [int(r) for r in args.rate.split(",")]
    cases = [{"name": "idle (no lines)", "rooms": 1000, "members": 1, "rate": 0},
             {"name": f"{rates[-1]}/s to rooms with no member here", "rooms": 1000, "members": 0, "rate": rates[-1]}]
    for rate in rates:
        cases += [{"name": f"{rate}/s, 1 member per room here", "rooms": 1000, "members": 1, "rate": rate},
                  {"name": f"{rate}/s, 10 members per room here", "rooms": 1000, "members": 10, "rate": rate}]
    for repeat in range(args.repeat):
        for case in cases:
            figures = node_case(case, args.warmup, args.measure)
            line = {"scenario": "node", "case": case["name"], "repeat": repeat + 1,
                    **{k: v for k, v in case.items() if k != "name"}, **figures,
                    "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "loadavg": loadavg()}
            results.write(json.dumps(line) + "\n")
            results.flush()
            print(f"  {case['name']:<40} {line['lines_in_per_s']:>7,} lines/s {line['deliveries_per_s']:>8,} del/s "
                  f"node cpu {line['node_cpu_share']:.3f} redis {line['redis_cpu_s']} heard {line['channels_heard']} "
                  f"loadgen {line['loadgen_cpu_share']:.2f} others {line['others_on_server_core']:.2f}  {line['check']}", flush=True)


# --- summary ------------------------------------------------------------------------------------------------------

def summarize(path, max_others):
    """Medians per case over the runs in which others used at most `max_others` of the servers' core, and for the
    bus the cluster's CPU per unit over one Redis's in the same repeat (paired, then the median of the pairs)."""
    lines = [json.loads(l) for l in open(path) if l.strip()]
    kept = [l for l in lines if l.get("others_on_server_core", 0) <= max_others and l["check"] == "ok"]
    groups = {}
    for l in kept:
        groups.setdefault((l["scenario"], l["case"], l.get("servers", "")), []).append(l)
    total = {}
    for l in lines:
        key = (l["scenario"], l["case"], l.get("servers", ""))
        total[key] = total.get(key, 0) + 1
    med = lambda g, k: statistics.median(x[k] for x in g)
    spread = lambda g, k: f"{min(x[k] for x in g):g}-{max(x[k] for x in g):g}"
    failed = [l for l in lines if l["check"] != "ok"]
    print(f"\nmedians of the runs with others <= {max_others} of the servers' core ({path}); "
          f"{len(kept)} of {len(lines)} runs kept, {len(failed)} failed their check")
    for key in total:
        scenario, case, servers = key
        g = groups.get(key, [])
        n = f"n={len(g)}/{total[key]}"
        if not g:
            print(f"  {case:<42} {servers:<9} {n}")
        elif scenario == "bus" and "us_per_publish" in g[0]:
            by = [round(statistics.median(x["us_per_publish_by_server"][i] for x in g), 2) for i in range(len(g[0]["server_cpu_s"]))]
            print(f"  {case:<42} {servers:<9} pub/s {med(g, 'publishes_per_s'):>10,.0f}  del/s {med(g, 'deliveries_per_s'):>10,.0f}"
                  f"  cpu {med(g, 'server_cpu_share'):.2f}  us/pub {med(g, 'us_per_publish'):7.2f} ({spread(g, 'us_per_publish')})"
                  f" by server {by}  {n}")
        elif scenario == "bus" and "keys_per_s" in g[0]:
            print(f"  {case:<42} {servers:<9} keys/s {med(g, 'keys_per_s'):>10,.0f}  cpu {med(g, 'server_cpu_share'):.2f}"
                  f"  us/key {med(g, 'us_per_key'):.3f} ({spread(g, 'us_per_key')})  {n}")
        elif scenario == "bus":
            print(f"  {case:<42} {servers:<9} cpu {med(g, 'server_cpu_share'):.3f}  {n}")
        else:
            print(f"  {case:<42} lines/s {med(g, 'lines_in_per_s'):>8,.0f} del/s {med(g, 'deliveries_per_s'):>8,.0f}"
                  f"  node cpu {med(g, 'node_cpu_share'):.3f} ({spread(g, 'node_cpu_share')})  redis cpu s {med(g, 'redis_cpu_s'):.2f}  {n}")
    by_case = {}
    for l in kept:
        if l["scenario"] == "bus" and l.get("us_per_publish", l.get("us_per_key")):
            by_case.setdefault(l["case"], []).append(l)
    ratios = []
    for case, runs in by_case.items():
        singles = [r for r in runs if r["servers"] == "single"]
        clusters = [r for r in runs if r["servers"] != "single"]
        paired = []
        for c in clusters:
            # The single-Redis run just before it in the file: same case, same repeat of the same invocation.
            before = [r for r in singles if lines.index(r) < lines.index(c)]
            if before and lines.index(c) - lines.index(before[-1]) == 1:
                unit = "us_per_publish" if "us_per_publish" in c else "us_per_key"
                paired.append(c[unit] / before[-1][unit])
        if paired:
            ratios.append((case, statistics.median(paired), min(paired), max(paired), len(paired)))
    if ratios:
        print("\ncluster's CPU per publish (or key) over one Redis's, paired within a repeat: median (range, pairs)")
        for case, m, lo, hi, n in ratios:
            print(f"  {case:<42} {m:.2f} ({lo:.2f}-{hi:.2f}, {n})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["bus", "node", "summary"])
    parser.add_argument("--nodes", type=int, default=10, help="bus: K, the connections standing in for nodes")
    parser.add_argument("--rate", default="1000,5000,20000", help="node: room lines per second published to the node (a list)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--measure", type=float, default=4.0)
    parser.add_argument("--max-others", type=float, default=0.2,
                        help="summary: leave out runs in which others used more than this share of the servers' core")
    parser.add_argument("--results", help="JSON lines file to append to (default: a new one under bench/results/)")
    args = parser.parse_args()
    if args.what == "summary":
        summarize(args.results, args.max_others)
        return
    for tool in ("redis-server", "redis-cli", "taskset"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing (scripts/install-deps.sh installs Redis)")
    if os.cpu_count() >= 2:
        os.sched_setaffinity(0, {0})
    path = args.results or os.path.join(ROOT, "bench", "results", time.strftime("%Y%m%d-%H%M%S") + "-capacity", "results.jsonl")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    print(f"{args.what}: results in {path}", flush=True)
    with open(path, "a") as results:
        (run_bus if args.what == "bus" else run_node)(args, results)
    summarize(path, args.max_others)


if __name__ == "__main__":
    main()
