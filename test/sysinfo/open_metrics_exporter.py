"""A Prometheus exporter on 127.0.0.1 for the OpenMetrics tests, built with the real prometheus_client.

GET /metrics   the registry below in the Prometheus text format; each request is remembered with
               its headers under its X-Test-Run header
GET /fail      HTTP 500 (an endpoint that fails every scrape)
GET /requests  JSON: X-Test-Run value -> list of the header dicts of its /metrics requests

Prints `ready <port>` once listening; runs until killed.
"""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

registry = CollectorRegistry()
temp = Gauge("gpu_temp_celsius", "GPU temperature", ["gpu", "pod"], registry=registry)
temp.labels(gpu="0", pod="wandb-1").set(40)
temp.labels(gpu="1", pod="other").set(41.5)
Gauge("queue_depth", "Jobs waiting", registry=registry).set(3)
requests_total = Counter("http_requests", "Requests served", ["code"], registry=registry)
requests_total.labels(code="200").inc(7)
requests_total.labels(code="500").inc(2)
Gauge("label_text", "A label value with a comma and quotes", ["text"], registry=registry).labels(text='a,"b"').set(1)
Histogram("latency_seconds", "Request latency", registry=registry).observe(0.25)

lock = threading.Lock()
seen: dict = {}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/metrics":
            with lock:
                seen.setdefault(self.headers.get("X-Test-Run", ""), []).append(dict(self.headers.items()))
            self._send(200, generate_latest(registry), "text/plain; version=0.0.4; charset=utf-8")
        elif self.path == "/fail":
            self._send(500, b"exporter broken\n", "text/plain")
        elif self.path == "/requests":
            with lock:
                body = json.dumps(seen).encode()
            self._send(200, body, "application/json")
        else:
            self._send(404, b"not found\n", "text/plain")

    def _send(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"ready {server.server_address[1]}", flush=True)
server.serve_forever()
