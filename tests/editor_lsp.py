"""A minimal Language Server Protocol client for yaml-language-server, the engine of VS Code's YAML extension.

It opens files the way an editor does and returns the diagnostics the editor would underline, so tests can
compare them with what ``breachdocs validate`` reports.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SERVER = ROOT / ".ci" / "yaml-language-server" / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"


def available() -> bool:
    return shutil.which("node") is not None and SERVER.is_file()


class YamlLanguageServer:
    """yaml-language-server over stdio with an editor's default settings (schema store off: no network)."""

    def __init__(self, root: Path, schemas: dict[Path, str] | None = None) -> None:
        self.settings: dict[str, Any] = {
            "validate": True,
            "hover": False,
            "completion": False,
            "format": {"enable": False},
            "schemaStore": {"enable": False},
            "schemas": {path.resolve().as_uri(): glob for path, glob in (schemas or {}).items()},
        }
        self._proc = subprocess.Popen(["node", str(SERVER), "--stdio"], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._buffer = b""
        self._next_id = 0
        self._request("initialize", {"processId": os.getpid(), "rootUri": root.resolve().as_uri(),
                                     "capabilities": {"workspace": {"configuration": True}}})
        self._notify("initialized", {})
        self._notify("workspace/didChangeConfiguration", {"settings": {"yaml": self.settings}})

    def __enter__(self) -> YamlLanguageServer:
        return self

    def __exit__(self, *_: object) -> None:
        self._proc.kill()
        self._proc.wait()

    def diagnostics(self, file: Path, settle: float = 0.4, timeout: float = 30.0) -> list[tuple[int, str]]:
        """(line, message) for each problem the editor shows in ``file``; lines count from 1."""
        uri = file.resolve().as_uri()
        text = file.read_bytes().decode("utf-8", "replace")
        self._notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        found: list[dict[str, Any]] | None = None
        deadline = time.monotonic() + timeout
        while (message := self._read(deadline - time.monotonic())) is not None:
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                found = message["params"]["diagnostics"]
                deadline = min(deadline, time.monotonic() + settle)  # a second round (schema after syntax) may follow
            elif "id" in message and "method" in message:
                self._answer(message)
        self._notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        if found is None:
            raise TimeoutError(f"yaml-language-server published no diagnostics for {file}")
        return sorted((d["range"]["start"]["line"] + 1, d["message"]) for d in found)

    def _answer(self, message: dict[str, Any]) -> None:
        result: Any = None
        if message["method"] == "workspace/configuration":
            result = [self.settings if item.get("section") == "yaml" else None for item in message["params"]["items"]]
        self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})

    def _request(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        self._next_id += 1
        self._send({"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": params})
        deadline = time.monotonic() + 30
        while (message := self._read(deadline - time.monotonic())) is not None:
            if message.get("id") == self._next_id and "method" not in message:
                return message
            if "id" in message and "method" in message:
                self._answer(message)
        raise TimeoutError(f"yaml-language-server did not answer {method}")

    def _notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode()
        assert self._proc.stdin is not None
        self._proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self._proc.stdin.flush()

    def _read(self, timeout: float) -> dict[str, Any] | None:
        assert self._proc.stdout is not None
        stream = self._proc.stdout.fileno()
        deadline = time.monotonic() + max(timeout, 0)
        while True:
            head, sep, rest = self._buffer.partition(b"\r\n\r\n")
            if sep:
                fields = dict(line.split(b":", 1) for line in head.split(b"\r\n") if b":" in line)
                length = int(fields.get(b"Content-Length", b"0"))
                if len(rest) >= length:
                    self._buffer = rest[length:]
                    return json.loads(rest[:length])  # type: ignore[no-any-return]
            ready, _, _ = select.select([stream], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                return None
            chunk = os.read(stream, 1 << 16)
            if not chunk:
                return None
            self._buffer += chunk
