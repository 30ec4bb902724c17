"""irctest server controller for CatChat.

irctest imports this module by name (``--controller catchat_controller`` with this folder on PYTHONPATH) and asks
``get_irctest_controller_class()`` for the class. Each test gets a fresh CatChat: its own data directory, ports and
process, started with the IRC front door on the port the test chose and with the limits that protect a public
server lifted, because irctest opens many connections from 127.0.0.1 and sends bursts.
"""

from __future__ import annotations

import atexit
import os
import random
import socket
import shutil
from pathlib import Path
from typing import IO, Optional, Set, Tuple, Type

from irctest.basecontrollers import (
    BaseServerController,
    DirectoryBasedController,
    ProcessStopped,
)
from irctest.runner import NotImplementedByController
from irctest.specifications import Capabilities, OptionalBehaviors

# This file is tests/irctest/catchat_controller.py, so the repository is two levels up.
REPO_ROOT = Path(__file__).resolve().parents[2]
BUILT_DLL = REPO_ROOT / "src" / "CatChat" / "bin" / "Release" / "net10.0" / "CatChat.dll"

# irctest's tests expect this name in numerics (RPL_TIME, WHO, ...), as every controller configures it.
SERVER_NAME = "My.Little.Server"


# The controllers of this process whose CatChat still runs. unittest skips tearDown (where irctest stops the server)
# when setUp raises after the server started, as bot_mode.py's does when ISUPPORT lacks BOT; such a CatChat is
# stopped when the next test of this worker starts one (a worker runs one test at a time), or when the worker exits.
_running: Set["CatChatController"] = set()


@atexit.register
def _stop_leftovers() -> None:
    for controller in list(_running):
        controller.kill()


def catchat_dll() -> Path:
    """The CatChat build to test: $CATCHAT_DLL, else the Release build in this repository."""
    return Path(os.environ.get("CATCHAT_DLL") or BUILT_DLL)


class CatChatController(BaseServerController, DirectoryBasedController):
    software_name = "CatChat"

    # What CatChat does not do, declared so that those tests skip instead of failing.
    supported_sasl_mechanisms: Set[str] = set()  # no accounts, so no SASL
    supports_sts = False

    # The IRCv3 capabilities CatChat offers in CAP LS. irctest fails (rather than skips) a test whose CAP REQ is
    # refused for a capability listed here, so list only what CatChat really offers.
    capabilities = frozenset(
        (
            Capabilities.ECHO_MESSAGE,
            Capabilities.MESSAGE_TAGS,
            Capabilities.MULTI_PREFIX,
            Capabilities.SERVER_TIME,
        )
    )

    # Optional behaviours CatChat has, as its ISUPPORT TARGMAX says (JOIN: unlimited, PRIVMSG:4); NAMES:1 and KICK:1
    # mean one target each. This copy of irctest only reads the server's answers, so this is documentation.
    optional_behaviors = frozenset(
        (
            OptionalBehaviors.MULTI_JOIN,
            OptionalBehaviors.MULTI_PRIVMSG,
        )
    )

    # What CatChat's 005 says, for irctest's isupport::testValues: a change to these is a change to what clients
    # are told, so it should be made here too, on purpose.
    isupport = {
        "AWAYLEN": "200",
        "BOT": "B",
        "CASEMAPPING": "ascii",
        "CHANLIMIT": "#:20",
        "CHANMODES": "beI,k,l,Cimnst",
        "CHANNELLEN": "33",
        "CHANTYPES": "#",
        "ELIST": "CMNTU",
        "EXCEPTS": "e",
        "EXTBAN": ",m",
        "INVEX": "I",
        "MONITOR": "100",
        "NETWORK": "CatChat",
        "NICKLEN": "24",
        "PREFIX": "(ov)@+",
        "STATUSMSG": "@",
        "UTF8ONLY": None,
        "WHOX": None,
    }

    # IRC's mute extban: MODE #room +b m:nick!user@host keeps its matches from speaking, not from joining.
    extban_mute_char = "m"

    _log: Optional[IO[bytes]] = None

    def run(
        self,
        hostname: str,
        port: int,
        *,
        password: Optional[str],
        ssl: bool,
        run_services: bool,
        faketime: Optional[str],
        websocket_hostname: Optional[str],
        websocket_port: Optional[int],
    ) -> None:
        if run_services:
            self._refuse("Services")
        assert self.proc is None
        for leftover in list(_running):
            leftover.kill()

        dll = catchat_dll()
        if not dll.is_file():
            self.kill()  # frees the test's port, as _refuse does
            raise RuntimeError(
                f"{dll} not found: build CatChat (dotnet build -c Release src/CatChat) or set CATCHAT_DLL"
            )

        self.port = port
        self.hostname = hostname
        self.create_config()
        assert self.directory

        # CatChat's other listeners get ports of their own (below, out of the kernel's ephemeral range).
        chat_port = self._quiet_port()
        # IRC over WebSocket is served on the HTTP side (at / and /irc), so a WebSocket test gets it on its port.
        self.sync_sleep_time = type(self).sync_sleep_time
        if websocket_port is None:
            http_port = self._quiet_port()
        else:
            http_port = websocket_port
            # Unlike irctest's other tests, the WebSocket ones send from one client and at once synchronise on
            # another (PING), so they need the server to act on the first line before the second, across two
            # connections. A fresh CatChat compiles the code of its first PRIVMSG as it runs it (30 ms or so, more
            # on a busy machine) while the PING's path is warm from registration: give them a moment, as irctest's
            # controllers of other servers that need one do.
            self.sync_sleep_time = 0.2
        ports = ["--chat-port", str(chat_port), "--http-port", str(http_port)]
        if ssl:
            # CatChat serves IRC over TLS on --irc-tls-port once it has a certificate; plain IRC is then off.
            self.gen_ssl()
            tls_port = self._quiet_port()
            ports += [
                "--irc-port", str(self._quiet_port()),
                "--irc-tls-port", str(port),
                "--tls-port", str(tls_port),
                "--tls-cert", str(self.pem_path),
                "--tls-key", str(self.key_path),
            ]
        else:
            ports += ["--irc-port", str(port)]

        # Without IRCTEST_DEBUG_LOGS the output goes to a file, so that a CatChat that fails to start can say why.
        output: dict = {}
        if not self.debug_mode:
            self._log = open(self.directory / "catchat.log", "wb")
            # Both to the same file (irctest's execute() would stream a stderr of STDOUT to pytest's output).
            output = {"stdout": self._log, "stderr": self._log}

        # The tests that ask for faketime (LIST by the age of rooms and topics) run the server's clock fast, so that
        # minutes pass in seconds; without the faketime tool they would wait real minutes.
        faketime_command = []
        if faketime and shutil.which("faketime"):
            faketime_command = ["faketime", "-f", faketime]
            self.faketime_enabled = True

        self.proc = self.execute(
            [
                *faketime_command,
                "dotnet", dll,
                *ports,
                # irctest connects to 0.0.0.0, which Linux delivers to 127.0.0.1.
                "--bind", "127.0.0.1",
                "--data-dir", self.directory,
                "--irc-server-name", SERVER_NAME,
                # What every irctest controller calls its server (LINKS shows it).
                "--irc-server-description", "test server",
                # The IRC operator every irctest test logs in as (OPER operuser operpassword).
                "--irc-operators", "operuser:operpassword",
                # Limits lifted, as the other controllers lift their servers' (irctest floods from one address).
                "--flood-burst", "0",
                "--max-connections-per-ip", "10000",
                "--loopback-exempt", "true",
                # Each test stops its server; nobody needs the goodbye notice, so don't wait to deliver it.
                "--shutdown-timeout", "0",
                # The server password, asked of every way in (IRC's PASS).
                *(["--chat-password", password] if password is not None else []),
            ],
            proc_name="catchat",
            cwd=self.directory,  # no stray appsettings from wherever pytest was started
            **output,
        )
        _running.add(self)
        # Wait here, not on the first client: a CatChat that refuses its options fails the test with its own words.
        try:
            self.wait_for_port()
        except BaseException:
            # unittest skips tearDown when setUp fails, so nothing else would stop the process and free its ports.
            self.kill()
            raise

    def get_hostname_and_port(self) -> Tuple[str, int]:
        """The port a test's clients connect to (IRC, or IRC over WebSocket), from the same quiet range as the rest:
        irctest's own choice, a port the kernel gave and took back, could be taken by any process binding port 0
        before CatChat has started (the integration tests' servers do, beside this suite in CI)."""
        return ("0.0.0.0", self._quiet_port())  # what irctest's own choice names: Linux delivers it to 127.0.0.1

    def _quiet_port(self) -> int:
        """A port reserved in irctest's shared list (so parallel tests never share one) and taken from 5000-9999:
        in the kernel's ephemeral range any process binding port 0 meanwhile (a test server elsewhere on the machine)
        can take one before CatChat has started and bound it (CI saw "cannot listen on port ... (--chat-port)", and a
        client of one test greeted by another server's netcat door). Below that range only processes that ask for a
        port by number land."""
        with self._used_ports() as used_ports:
            for _ in range(1000):
                port = random.randrange(5000, 10000)
                if ("", port) in used_ports or not _can_bind(port):
                    continue
                used_ports.add(("", port))
                self._own_ports.add(("", port))
                return port
        raise RuntimeError("no free port in 5000-9999")

    def _refuse(self, feature: str) -> None:
        # The test's setUp fails with this skip, so its tearDown will not free the port it reserved: free it here.
        self.kill()
        raise NotImplementedByController(feature)

    def check_is_alive(self) -> None:
        try:
            super().check_is_alive()
        except ProcessStopped as stopped:
            raise ProcessStopped(f"CatChat {stopped}; its output ends: {self._log_tail()}") from None

    def _log_tail(self) -> str:
        if self._log is None:
            return "(shown above: IRCTEST_DEBUG_LOGS is on)"
        self._log.flush()
        lines = Path(self._log.name).read_text(errors="replace").splitlines()
        return " | ".join(lines[-5:]) or "(nothing)"

    def kill(self) -> None:
        # Stops the process group (SIGTERM, then SIGKILL after 5 s), frees the ports, removes the directory.
        super().kill()
        _running.discard(self)
        if self._log is not None:
            self._log.close()
            self._log = None


def get_irctest_controller_class() -> Type[CatChatController]:
    return CatChatController


def _can_bind(port: int) -> bool:
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        probe.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        probe.close()
