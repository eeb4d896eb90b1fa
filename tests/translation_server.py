"""A local HTTP server speaking the LibreTranslate and DeepL APIs, for tests.

It "translates" by tagging each text with the target language, and keeps the
requests it received so that a test can check what was sent. It can also
misbehave as a broken or hostile service would: ``failing`` answers 500,
``delay`` waits before answering, ``drip`` sends its answer a byte at a time,
``translate`` replaces the translation (any JSON value per text) and
``raw_answer`` replaces the whole answer with bytes.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        server = self.server
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        server.requests.append({"path": self.path, "headers": dict(self.headers), "json": payload})
        if server.stopping.wait(server.delay):
            return None
        if server.failing:
            return self._answer(500, {"error": "the service is down"})
        if server.raw_answer is not None:
            return self._send(200, server.raw_answer)
        if self.path == "/translate":
            if payload.get("api_key") != server.api_key:
                return self._answer(403, {"error": "Invalid API key"})
            texts = [self._translated(text, payload["target"]) for text in payload["q"]]
            return self._answer(200, {"translatedText": texts})
        if self.path == "/v2/translate":
            if self.headers.get("Authorization") != f"DeepL-Auth-Key {server.api_key}":
                return self._answer(403, {"message": "Wrong key"})
            translations = [
                {
                    "detected_source_language": payload["source_lang"],
                    "text": self._translated(text, payload["target_lang"]),
                }
                for text in payload["text"]
            ]
            return self._answer(200, {"translations": translations})
        return self._answer(404, {"error": "not found"})

    def _translated(self, text, target):
        if self.server.translate is not None:
            return self.server.translate(text, target)
        return f"[{target}] {text}"

    def _answer(self, status, body):
        self._send(status, json.dumps(body).encode("utf-8"))

    def _send(self, status, data):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if not self.server.drip:
            self.wfile.write(data)
            return
        for byte in data:
            if self.server.stopping.wait(self.server.drip):
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()

    def log_message(self, format, *args):
        pass


class TranslationServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, api_key):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.api_key, self.requests, self.failing = api_key, [], False
        self.delay, self.drip, self.translate, self.raw_answer = 0, 0, None, None
        self.stopping = threading.Event()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_port}"

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info):
        self.stopping.set()
        self.shutdown()
        self.server_close()
