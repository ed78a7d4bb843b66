"""Child processes of the fault suite: started in the foreground, logged to files, ended with the suite."""

import ctypes
import os
import pwd
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True)


def _preexec(user):
    """Run as `user` when given, and die with the suite even if it is killed before it can tear down."""

    def prepare():
        if user is not None:
            entry = pwd.getpwnam(user)
            os.setgid(entry.pw_gid)
            os.setuid(entry.pw_uid)
        # After setuid: a change of credentials clears the parent-death signal.
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)

    return prepare


def wait_for_port(port, process=None, timeout=60.0):
    """Wait until something accepts connections on the loopback port; fail if the process ends first."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return
        except OSError:
            if process is not None and not process.running():
                raise RuntimeError(f"{process.name} exited before listening on {port}") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"nothing listens on {HOST}:{port} after {timeout:.0f} s") from None
            time.sleep(0.1)


def port_is_free(port):
    """Whether nothing listens on the loopback port."""
    try:
        socket.create_connection((HOST, port), timeout=0.5).close()
    except OSError:
        return True
    return False


class Process:
    """One long-running program in the foreground, its output appended to `<logs>/<name>.log`."""

    def __init__(self, name, command, *, logs, env=None, cwd=None, user=None, stop_signal=signal.SIGTERM):
        self.name = name
        self.command = [str(part) for part in command]
        self.log_path = Path(logs) / f"{name}.log"
        self.env = env
        self.cwd = cwd
        self.user = user
        self.stop_signal = stop_signal
        self.popen = None

    @property
    def pid(self):
        return self.popen.pid

    def start(self):
        with open(self.log_path, "ab") as log:
            self.popen = subprocess.Popen(
                self.command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
                cwd=self.cwd,
                preexec_fn=_preexec(self.user),
                # Its own process group: a Ctrl-C reaches the suite, which then stops everything in order.
                start_new_session=True,
            )
        return self

    def running(self):
        return self.popen is not None and self.popen.poll() is None

    def stop(self, timeout=20.0):
        """Ask it to stop, then kill it (and its group) if it has not within `timeout` seconds."""
        if not self.running():
            return
        self.popen.send_signal(self.stop_signal)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._kill_group()
            self.popen.wait(timeout=10)

    def _kill_group(self):
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def run(command, *, logs, name, env=None, cwd=None, user=None, timeout=300):
    """Run a program to completion, its output in the log; its standard output is returned."""
    log_path = Path(logs) / f"{name}.log"
    result = subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        env=env,
        cwd=cwd,
        preexec_fn=_preexec(user),
        timeout=timeout,
    )
    with open(log_path, "ab") as log:
        log.write(result.stdout + result.stderr)
    if result.returncode:
        raise RuntimeError(f"{name} failed with exit status {result.returncode}; see {log_path}")
    return result.stdout.decode()


def children(pid):
    """The pids of a process's direct children (a gunicorn master's workers), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue
        # The command name, in parentheses, may hold spaces: the fields after its last ")" are fixed.
        parent = int(stat.rpartition(")")[2].split()[1])
        if parent == pid:
            found.append(int(entry.name))
    return found


def rss_kib(pid):
    """Resident memory of a process in KiB, or None if it has gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


class Supervisor:
    """Restarts any of its processes that has exited, after `delay` seconds, as systemd or Docker would."""

    def __init__(self, processes, delay=0.5, poll=0.1):
        self.processes = processes
        self.delay = delay
        self.poll = poll
        self.restarts = {process.name: 0 for process in processes}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=10)

    def total_restarts(self):
        return sum(self.restarts.values())

    def _watch(self):
        while not self._stop.wait(self.poll):
            for process in self.processes:
                if not process.running() and not self._stop.wait(self.delay):
                    process.start()
                    self.restarts[process.name] += 1
