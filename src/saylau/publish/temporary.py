"""Throwaway servers for the tests and benchmarks of publishing: nginx over a folder, and an S3 server.

nginx is Debian's (scripts/system-deps.sh installs it when missing), run in the foreground as this process's
child with its configuration, logs and temporary folders in a fresh folder, on a free port of 127.0.0.1. The
S3 server is moto's (`moto_server`, a test dependency), which keeps objects in memory: it checks that the
publisher speaks the S3 protocol correctly, not durability.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from saylau.store.temporary import free_port

MEDIA_TYPES = {
    "text/html": "html",
    "text/css": "css",
    "text/javascript": "js",
    "application/json": "json",
    "text/csv": "csv",
    "application/xml": "xml",
    "application/atom+xml": "atom",
}


class NoServer(RuntimeError):
    """The server's program is not installed."""


def nginx_config(site: Path, folder: Path, port: int, workers: int = 1) -> str:
    """An nginx configuration serving `site` as saylau publishes it (the cache rules of docs/deploying.md)."""
    temp = "\n".join(
        f"  {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    types = " ".join(f"{media} {ext};" for media, ext in MEDIA_TYPES.items())
    user = "user root;\n" if os.geteuid() == 0 else ""  # as root, workers would be `nobody`, locked out of /tmp
    return f"""{user}daemon off;
worker_processes {workers};
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
{temp}
  types {{ {types} }}
  default_type application/octet-stream;
  charset utf-8;
  charset_types text/css text/csv application/json application/xml application/atom+xml text/javascript;
  sendfile on;
  tcp_nopush on;
  gzip_static on;  # a text file's .gz sibling (saylau writes one beside each) to a reader who accepts gzip
  gzip on;  # and compressed per request where there is none (a polling station's own files: few read them)
  gzip_types text/css text/csv text/javascript application/json application/xml application/atom+xml;
  gzip_vary on;
  gzip_proxied any;  # also behind a CDN or proxy, whose requests carry Via
  keepalive_requests 100000;
  open_file_cache max=10000 inactive=60s;
  server {{
    listen 127.0.0.1:{port} backlog=4096;
    root {site};
    location /v/ {{ add_header Cache-Control "public, max-age=31536000, immutable"; }}
    location / {{
      open_file_cache off;  # the pointer is replaced by a rename: a cached descriptor would serve the old one
      add_header Cache-Control "public, max-age=2, must-revalidate";
    }}
  }}
}}
"""


def _wait(port: int, process: subprocess.Popen[bytes], what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            detail = log.read_text(errors="replace") if log and log.exists() else ""
            raise RuntimeError(f"{what} stopped at start (exit {process.returncode}) {detail}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port} within 30 s")


@contextmanager
def temporary_nginx(site: Path, workers: int = 1, prefix: Sequence[str] = ()) -> Iterator[str]:
    """nginx serving `site` on a free port; yields its base URL `http://127.0.0.1:PORT`. `prefix`: a command it
    runs under (a benchmark's `chrt --idle 0 ...`; its workers inherit it)."""
    program = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if program is None:
        raise NoServer("nginx is not installed: run scripts/system-deps.sh (make test does)")
    folder = Path(tempfile.mkdtemp(prefix="saylau-nginx-"))
    port = free_port()
    (folder / "nginx.conf").write_text(nginx_config(site.resolve(), folder, port, workers))
    process = subprocess.Popen(
        [*prefix, program, "-c", str(folder / "nginx.conf"), "-p", str(folder), "-e", str(folder / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(port, process, "nginx", folder / "error.log")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def temporary_s3() -> Iterator[str]:
    """moto's S3-compatible server on a free port; yields its endpoint URL."""
    program = shutil.which("moto_server") or str(Path(sys.executable).with_name("moto_server"))
    if not os.path.exists(program):
        raise NoServer("moto_server is not installed (the dev extra: pip install -r requirements.lock)")
    port = free_port()
    process = subprocess.Popen(
        [program, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait(port, process, "moto_server")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
