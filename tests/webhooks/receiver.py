"""A webhook receiver on loopback for the tests: records each POST and answers as it is told."""

import http.server
import threading
import time
from dataclasses import dataclass, field

PORTS = range(9340, 9399)


@dataclass
class Received:
    headers: dict
    body: bytes


@dataclass
class Receiver:
    """Answers the next scripted code (200 when the script is done); `"slow"` sleeps past the timeout."""

    script: list = field(default_factory=list)
    received: list = field(default_factory=list)
    slow_seconds: float = 1.5

    def start(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append(Received(dict(self.headers), body))
                answer = receiver.script.pop(0) if receiver.script else 200
                if answer == "slow":
                    time.sleep(receiver.slow_seconds)
                    answer = 200
                self.send_response(answer)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        for port in PORTS:
            try:
                self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
                break
            except OSError:
                continue
        else:
            raise RuntimeError("no free port for the test receiver")
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
