"""The webhook receiver of the layout: a loopback HTTP server that records every delivery it is sent."""

import http.server
import json
import threading
import time
from dataclasses import dataclass

from bench.faults.processes import HOST
from desk.webhooks.signing import verify

# A receiver that answers at once makes a kill during a POST unlikely; real ones take a moment.
ANSWER_DELAY = 0.02


@dataclass(frozen=True)
class Delivered:
    """One POST received: which delivery and event, when (time.time()), and whether its signature held."""

    delivery: str
    event_id: int | None
    event_type: str
    received_at: float
    signed: bool


class Receiver:
    """Answers 200 to every POST and keeps what came; `secret` is the subscription's, to check signatures."""

    def __init__(self, port, secret=""):
        self.port = port
        self.secret = secret
        self._lock = threading.Lock()
        self._received = []
        # POSTs whose sender went away before the answer: a worker killed mid-delivery.
        self.cut = 0
        # Set while a POST is being answered, so that a fault can be timed to land in one.
        self.in_flight = threading.Event()
        self.server = None

    @property
    def url(self):
        return f"http://{HOST}:{self.port}/hook"

    def received(self):
        with self._lock:
            return list(self._received)

    def start(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver._record(self.headers, body)
                receiver.in_flight.set()
                try:
                    time.sleep(ANSWER_DELAY)
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                    self.wfile.flush()
                except OSError:
                    with receiver._lock:
                        receiver.cut += 1
                    self.close_connection = True
                finally:
                    receiver.in_flight.clear()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer((HOST, self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def _record(self, headers, body):
        try:
            event_id = json.loads(body).get("id")
        except (ValueError, AttributeError):
            event_id = None
        signed = bool(self.secret) and verify(self.secret, body, headers.get("X-Desk-Signature", ""))
        delivered = Delivered(
            headers.get("X-Desk-Delivery", ""), event_id, headers.get("X-Desk-Event", ""), time.time(), signed
        )
        with self._lock:
            self._received.append(delivered)

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
