"""Body limits against a real `troly serve`: a huge chunked webhook body and an anonymous huge
upload are cut off while they stream in, and the server's memory barely moves.

Before: the 300 MB chunked webhook body was read whole before its 413 (+600 MB), and an
anonymous 400 MB multipart upload was parsed (and spooled to disk) before authentication.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fakes.servers import FakePlatforms
from tests.production.serving import SECRET_HEADER, ServeProcess

MB = 1024 * 1024
CHUNK = b"x" * (64 * 1024)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    fake = FakePlatforms().start()
    try:
        with ServeProcess(data_dir=tmp_path_factory.mktemp("limits") / "data", fake=fake) as serving:
            yield serving
    finally:
        fake.stop()


def peak_rss_mb(pid: int | str) -> float:
    """The process's high-water mark of resident memory (VmHWM), in MB ("self" for this one).
    Unlike getrusage's ru_maxrss it starts afresh at exec: a child does not inherit its
    parent's peak."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def stream_chunked(
    url: str, path: str, headers: dict[str, str], total: int, prefix: bytes = b""
) -> tuple[int, str]:
    """Send a chunked body of `total` bytes; (bytes the server took before answering, answer)."""
    host, port = url.removeprefix("http://").split(":")
    sent = 0
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        head = f"POST {path} HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        sock.sendall(head.encode())
        try:
            if prefix:
                sock.sendall(b"%x\r\n%s\r\n" % (len(prefix), prefix))
                sent += len(prefix)
            while sent < total:
                sock.sendall(b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK))
                sent += len(CHUNK)
            sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed: exactly what a limit should do
        sock.settimeout(10)
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except (ConnectionResetError, TimeoutError):
            pass
    return sent, answer.decode("utf-8", errors="replace")


def test_a_300_mb_chunked_webhook_body_is_cut_at_the_limit(server: ServeProcess) -> None:
    httpx.get(f"{server.url}/healthz")
    before = peak_rss_mb(server.pid)
    headers = {**SECRET_HEADER, "Content-Type": "application/json"}
    sent, answer = stream_chunked(server.url, "/webhooks/telegram", headers, 300 * MB)
    grown = peak_rss_mb(server.pid) - before
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert "vượt quá giới hạn" in answer and "connection: close" in answer.lower()
    assert sent < 300 * MB  # the server stopped reading long before the end
    assert grown < 50, f"memory grew {grown:.0f} MB"
    assert httpx.get(f"{server.url}/healthz").status_code == 200  # and keeps serving


def test_an_anonymous_400_mb_upload_is_refused_before_it_is_read(server: ServeProcess) -> None:
    httpx.get(f"{server.url}/login")
    before = peak_rss_mb(server.pid)
    boundary = "----troly-test"
    prefix = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    sent, answer = stream_chunked(server.url, "/admin/documents", headers, 400 * MB, prefix=prefix)
    grown = peak_rss_mb(server.pid) - before
    assert answer.startswith("HTTP/1.1 403"), answer[:200]
    assert "đăng nhập" in answer
    assert sent < 400 * MB and grown < 50, (sent, grown)
    uploads = server.data_dir / "uploads"
    assert not any(p.is_file() for p in uploads.rglob("*"))  # nothing reached the disk


def test_a_declared_length_over_the_limit_is_refused_without_reading(server: ServeProcess) -> None:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        head = (
            f"POST /webhooks/telegram HTTP/1.1\r\nHost: {host}\r\nContent-Length: {10**9}\r\n"
            f"X-Telegram-Bot-Api-Secret-Token: {SECRET_HEADER['X-Telegram-Bot-Api-Secret-Token']}\r\n\r\n"
        )
        started = time.monotonic()
        sock.sendall(head.encode())  # no body at all: the answer must not wait for one
        answer = sock.recv(65536).decode("utf-8", errors="replace")
    assert answer.startswith("HTTP/1.1 413") and time.monotonic() - started < 5
