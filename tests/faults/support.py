"""What the fault tests share: free loopback ports, plain HTTP requests, waiting for a condition, and a
redis-server of their own."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

ON_POSTGRES = os.environ.get("FANXING_DATABASE_URL", "").startswith("postgres")
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, str, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def wait_for(ready: Callable[[], object], what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except OSError:  # not listening yet
            pass
        time.sleep(0.3)
    raise AssertionError(f"{what}: not within {seconds} s")


def start_redis(port: int) -> subprocess.Popen[bytes]:
    """A redis-server on this loopback port that keeps nothing on disk; returns once it answers."""
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    probe = ["redis-cli", "-p", str(port), "ping"]
    wait_for(lambda: subprocess.run(probe, capture_output=True).stdout.strip() == b"PONG", "redis")
    return redis
