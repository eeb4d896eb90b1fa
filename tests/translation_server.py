"""A local HTTP server speaking the LibreTranslate and DeepL APIs, for tests.

It "translates" by tagging each text with the target language, and keeps the
requests it received so that a test can check what was sent.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        server = self.server
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        server.requests.append({"path": self.path, "headers": dict(self.headers), "json": payload})
        if server.failing:
            return self._answer(500, {"error": "the service is down"})
        if self.path == "/translate":
            if payload.get("api_key") != server.api_key:
                return self._answer(403, {"error": "Invalid API key"})
            texts = [f"[{payload['target']}] {text}" for text in payload["q"]]
            return self._answer(200, {"translatedText": texts})
        if self.path == "/v2/translate":
            if self.headers.get("Authorization") != f"DeepL-Auth-Key {server.api_key}":
                return self._answer(403, {"message": "Wrong key"})
            translations = [
                {"detected_source_language": payload["source_lang"], "text": f"[{payload['target_lang']}] {text}"}
                for text in payload["text"]
            ]
            return self._answer(200, {"translations": translations})
        return self._answer(404, {"error": "not found"})

    def _answer(self, status, body):
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass


class TranslationServer(ThreadingHTTPServer):
    def __init__(self, api_key):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.api_key, self.requests, self.failing = api_key, [], False

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_port}"

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info):
        self.shutdown()
        self.server_close()
