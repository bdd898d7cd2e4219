"""A stand-in for GitHub's REST API on 127.0.0.1: answers from recorded JSON (tests/github_api/*.json).

Each file maps a request path (without the query) to its JSON answer; ``{merge}``,
``{head}``, ``{older}`` and ``{base}`` in the answers are replaced by the commits of
the test's repository. Requests without the expected token get 401; unknown paths 404.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

RECORDED = Path(__file__).resolve().parent / "github_api"
TOKEN = "ghs_test-token-never-printed"
REPOSITORY = "acme/breaches"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.server.requests.append((self.path, self.headers.get("Authorization", "")))
        path = self.path.split("?", 1)[0]
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._send(401, {"message": "Bad credentials"})
        elif path in self.server.answers:
            self._send(200, self.server.answers[path])
        else:
            self._send(404, {"message": "Not Found"})

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        pass


class _Server(ThreadingHTTPServer):
    answers: dict[str, Any]
    requests: list[tuple[str, str]]


def recorded(scenario: str, commits: dict[str, str]) -> dict[str, Any]:
    text = (RECORDED / f"{scenario}.json").read_text(encoding="utf-8")
    for name, sha in commits.items():
        text = text.replace("{" + name + "}", sha)
    answers = json.loads(text)
    answers.pop("_comment", None)
    return answers  # type: ignore[no-any-return]


@contextmanager
def github_api(answers: dict[str, Any]) -> Iterator[tuple[dict[str, str], list[tuple[str, str]]]]:
    """Serve ``answers``; yields (the workflow's environment variables for it, the requests seen)."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.answers, server.requests = answers, []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        env = {"GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": REPOSITORY,
               "GITHUB_API_URL": f"http://127.0.0.1:{server.server_address[1]}"}
        yield env, server.requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
