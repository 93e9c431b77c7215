"""Real TradeHall servers in subprocesses, as a person (or a deployment) would run them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from app import PROJECT_ROOT

STARTUP_DEADLINE_SECONDS = 30.0
SHUTDOWN_DEADLINE_SECONDS = 10.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:  # noqa: S310
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@dataclass
class ServerProcess:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/ws"

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_DEADLINE_SECONDS
        delay = 0.05
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited with {self.process.returncode}:\n"
                            f"{self.log.read_text()}")
            if _healthy(self.url):
                return
            time.sleep(delay)  # polling back-off: the loop checks the server's state
            delay = min(delay * 2, 0.5)
        pytest.fail(f"the server did not answer /healthz within {STARTUP_DEADLINE_SECONDS}s:\n"
                    f"{self.log.read_text()}")

    def stop(self) -> None:
        """Stop like a deployment does (SIGTERM: graceful), then make sure it is gone."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=SHUTDOWN_DEADLINE_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def running_server(
    database_url: str, data_dir: Path, *, redis_url: str | None = None,
    extra_env: dict[str, str] | None = None,
) -> Iterator[ServerProcess]:
    """Serve the app with uvicorn on a free port; stopped when the block ends."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADEHALL_")}
    env.update({
        "TRADEHALL_DATA_DIR": str(data_dir),
        "TRADEHALL_DATABASE_URL": database_url,
        "TRADEHALL_ALLOWED_ORIGINS": url,
        "TRADEHALL_BASE_URL": url,
        "TRADEHALL_ENVIRONMENT": "dev",
        **({"TRADEHALL_REDIS_URL": redis_url} if redis_url else {}),
        **(extra_env or {}),
    })
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir / f"server-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments, our own interpreter
            [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory",
             "--host", "127.0.0.1", "--port", str(port), "--ws", "websockets-sansio",
             "--ws-max-size", "65536", "--ws-per-message-deflate", "false"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = ServerProcess(url, process, log)
    try:
        server.wait_until_healthy()
        yield server
    finally:
        server.stop()
