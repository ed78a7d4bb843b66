"""Signed API requests over keep-alive connections, each answer kept with its time for the checks."""

import http.client
import json
import threading
import time
from dataclasses import dataclass, field

from bench.faults.processes import HOST
from wsse_auth.client import make_header

STAFF = "/api/rest/latest/desk"


@dataclass
class Answer:
    """One request's outcome: status 0 when the connection failed before an answer came."""

    method: str
    path: str
    status: int
    started: float
    elapsed: float
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    error: str = ""

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def is_json_error(self):
        """The contract's error shape: a JSON object with a string `error`, served as JSON."""
        data = self.json()
        return (
            self.headers.get("content-type", "").startswith("application/json")
            and isinstance(data, dict)
            and isinstance(data.get("error"), str)
        )


class Client:
    """One connection to one port, signing every request with a fresh WSSE header."""

    def __init__(self, port, user, key, timeout=30.0):
        self.port = port
        self.user = user
        self.key = key
        self.timeout = timeout
        self.conn = None

    def request(self, method, path, body=None, *, content_type="application/json", header=None):
        """Send one request and return its Answer; a broken connection is an Answer with status 0."""
        if isinstance(body, dict | list):
            body = json.dumps(body).encode()
        headers = {"X-WSSE": header or make_header(self.user, self.key), "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = content_type
        started = time.monotonic()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            self.conn.request(method, STAFF + path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            return Answer(method, path, 0, started, time.monotonic() - started, error=type(exc).__name__)
        answer = Answer(
            method,
            path,
            response.status,
            started,
            time.monotonic() - started,
            {name.lower(): value for name, value in response.getheaders()},
            data,
        )
        if response.will_close:
            self.close()
        return answer

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class Load:
    """Threads that each repeat `step(client, index)` until stopped, collecting every Answer."""

    def __init__(self, port, user, key, step, threads):
        self.answers = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._loop, args=(Client(port, user, key), step, index), daemon=True)
            for index in range(threads)
        ]

    def _loop(self, client, step, index):
        try:
            while not self._stop.is_set():
                for answer in step(client, index):
                    with self._lock:
                        self.answers.append(answer)
        finally:
            client.close()

    def start(self):
        for thread in self._threads:
            thread.start()
        return self

    def stop(self):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=120)
        return self.answers

    def count(self):
        with self._lock:
            return len(self.answers)

    def since(self, moment):
        """The answers to requests started at or after `moment` (time.monotonic)."""
        with self._lock:
            return [answer for answer in self.answers if answer.started >= moment]
