"""Voice notes → text, with the optional viet-asr extra (`pip install .[voice]`).

`Transcriber` is the seam the dialog uses: `await transcriber.transcribe(data)` with the bytes
of a voice note in any format the platforms send (OGG/Opus, M4A/AAC, MP3, WAV) returns a
`Transcript` whose status says what to tell the official. It never raises for bad input.

The engine runs in one worker process (knowledge/media/asr_child.py), started at the first
note and kept: the model (about 280 MB resident) is loaded once, outside the server process.
The engine is single-threaded (measured: one thread, the GIL released during inference), so a
note takes at most one core and the other stays with typed questions; it is not pinned to a
core, which on a busy machine would only make it wait for that one. A process rather than a
thread because viet-asr is alpha native code: a note that hangs it is killed at a time limit
and a crash costs one restart, never the server; the price is one interpreter (~40 MB).
Requests pass through a one-at-a-time lane (knowledge/media/lane.py) so notes never take both
cores and never block the event loop; past a short queue the answer is `busy` at once.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import select
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from core.settings import Settings, VoiceTranscription
from knowledge.media import stats
from knowledge.media.lane import Lane, LaneBusy

log = logging.getLogger(__name__)

ENGINE = "speech"
MAX_NOTE_SECONDS = 120.0  # longer notes are refused politely: type it, or send it in parts
MAX_PENDING = 8
START_TIMEOUT_SECONDS = 90.0  # interpreter, numpy, FFmpeg and the model, on a busy machine
# A 2-minute note takes about 30 s at the real-time factors measured (0.14–0.4): twice that,
# plus slack, before the worker is declared stuck and killed.
REQUEST_TIMEOUT_SECONDS = 30.0 + MAX_NOTE_SECONDS


class TranscriptStatus(StrEnum):
    ok = "ok"
    empty = "empty"  # decoded, but no speech heard
    too_long = "too_long"  # over MAX_NOTE_SECONDS
    unreadable = "unreadable"  # not audio, or damaged
    unavailable = "unavailable"  # the extra is not installed, or VOICE_TRANSCRIPTION=off
    busy = "busy"  # too many notes waiting
    failed = "failed"  # the engine crashed or timed out


@dataclass(frozen=True)
class Transcript:
    status: TranscriptStatus
    text: str = ""  # lowercase, unpunctuated (what the model gives)
    audio_seconds: float = 0.0
    took_seconds: float = 0.0  # from the call to the answer, queue wait included
    reason: str = ""  # for the log, in English; never shown to officials

    @property
    def ok(self) -> bool:
        return self.status == TranscriptStatus.ok


class Transcriber(Protocol):
    @property
    def available(self) -> bool:
        """False when every call would answer `unavailable` (tell the official to type)."""
        ...

    async def transcribe(self, data: bytes) -> Transcript: ...

    def transcribe_blocking(self, data: bytes) -> Transcript: ...

    def close(self) -> None: ...


def speech_installed() -> bool:
    """The [voice] extra: viet-asr (the model is inside its wheel) and PyAV to decode."""
    return all(importlib.util.find_spec(name) is not None for name in ("vietasr", "av"))


class UnavailableTranscriber:
    available = False

    def __init__(self, reason: str) -> None:
        self.reason = reason

    async def transcribe(self, data: bytes) -> Transcript:
        return self.transcribe_blocking(data)

    def transcribe_blocking(self, data: bytes) -> Transcript:
        return Transcript(TranscriptStatus.unavailable, reason=self.reason)

    def close(self) -> None:
        return None


class WorkerFailed(Exception):
    def __init__(self, reason: str, *, died: bool = False) -> None:
        super().__init__(reason)
        self.died = died  # the process ended (crashed, killed) rather than stayed silent


class SpeechWorker:
    """The engine process, driven synchronously from the lane's one thread."""

    def __init__(self, *, start_timeout: float, request_timeout: float) -> None:
        self.start_timeout, self.request_timeout = start_timeout, request_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def start(self) -> None:
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                return
            self._stop_locked()
            # A plain child interpreter, not multiprocessing: nothing of the server's state or
            # main module is copied or re-imported into it.
            root = str(Path(__file__).resolve().parents[2])
            paths = [root, os.environ.get("PYTHONPATH", "")]
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in paths if path)}
            self._process = subprocess.Popen(
                [sys.executable, "-m", "knowledge.media.asr_child"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
            )
        hello = self._receive(self.start_timeout, "start")
        if hello.get("status") != "ready":
            self.stop()
            raise WorkerFailed(str(hello.get("reason") or "the worker did not start"))
        log.info("speech worker ready (pid %s)", self.pid)

    def request(self, data: bytes, max_seconds: float) -> dict[str, Any]:
        self.start()
        process = self._process
        assert process is not None and process.stdin is not None
        header = json.dumps({"size": len(data), "max_seconds": max_seconds}).encode() + b"\n"
        try:
            process.stdin.write(header + data)
            process.stdin.flush()
        except (OSError, ValueError) as exc:
            self.stop()
            raise WorkerFailed(f"send: {type(exc).__name__}") from exc
        return self._receive(self.request_timeout, "transcribe")

    def _receive(self, timeout: float, what: str) -> dict[str, Any]:
        process = self._process
        line, closed = (
            _read_line(process.stdout.fileno(), timeout) if process and process.stdout else (b"", True)
        )
        try:
            reply = json.loads(line) if line else None
        except ValueError:
            reply = None
        if isinstance(reply, dict):
            return reply
        died = closed or process is None or process.poll() is not None
        self.stop()  # stuck, dead or talking nonsense: restarted at the next note
        if died:
            raise WorkerFailed(f"{what}: the worker died", died=True)
        raise WorkerFailed(f"{what}: no answer within {timeout:.0f} s", died=False)

    def request_once_more_if_dead(self, data: bytes, max_seconds: float) -> dict[str, Any]:
        """A worker found dead (killed, crashed on an earlier note) is replaced and asked again,
        once; a note that kills a fresh worker too, or one that hangs it, fails."""
        try:
            return self.request(data, max_seconds)
        except WorkerFailed as exc:
            if not exc.died:
                raise
            log.warning("speech worker died (%s): starting a new one", exc)
            return self.request(data, max_seconds)

    def stop(self) -> None:
        with self._lock:
            self._stop_locked()

    def _stop_locked(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()  # possibly stuck in native code: nothing gentler would work
        process.wait(timeout=10)
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()


def _read_line(fd: int, timeout: float) -> tuple[bytes, bool]:
    """(one reply line, False), or (b"", closed) when none arrived in time or the pipe closed."""
    deadline = time.monotonic() + timeout
    data = bytearray()
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return b"", False
        chunk = os.read(fd, 65536)
        if not chunk:
            return b"", True
        data += chunk
    return bytes(data), False


class VietAsrTranscriber:
    available = True

    def __init__(
        self,
        *,
        max_seconds: float = MAX_NOTE_SECONDS,
        max_pending: int = MAX_PENDING,
        start_timeout: float = START_TIMEOUT_SECONDS,
        request_timeout: float = REQUEST_TIMEOUT_SECONDS,
    ) -> None:
        self.max_seconds = max_seconds
        self.worker = SpeechWorker(start_timeout=start_timeout, request_timeout=request_timeout)
        self._lane = Lane(ENGINE, max_pending=max_pending)

    async def warm(self) -> None:
        """Start the worker now rather than at the first note (a few seconds saved there)."""
        await self._lane.run(self.worker.start)

    async def transcribe(self, data: bytes) -> Transcript:
        started = time.monotonic()
        try:
            reply = await self._lane.run(
                partial(self.worker.request_once_more_if_dead, data, self.max_seconds)
            )
        except (LaneBusy, WorkerFailed) as exc:
            return self._finish(exc, started)
        return self._finish(reply, started)

    def transcribe_blocking(self, data: bytes) -> Transcript:
        """The same from a worker thread (the dispatcher's): blocks that thread, not a loop."""
        started = time.monotonic()
        try:
            reply = self._lane.run_blocking(
                partial(self.worker.request_once_more_if_dead, data, self.max_seconds)
            )
        except (LaneBusy, WorkerFailed) as exc:
            return self._finish(exc, started)
        return self._finish(reply, started)

    def _finish(self, reply: dict[str, Any] | Exception, started: float) -> Transcript:
        if isinstance(reply, LaneBusy):
            result = Transcript(
                TranscriptStatus.busy, reason=f"{self._lane.max_pending} notes already waiting"
            )
        elif isinstance(reply, Exception):
            result = Transcript(TranscriptStatus.failed, reason=str(reply))
        else:
            result = _transcript(reply)
        took = time.monotonic() - started
        stats.record(ENGINE, result.status, seconds=took, media=result.audio_seconds)
        if result.status == TranscriptStatus.failed:
            log.warning("voice transcription failed: %s", result.reason)
        return Transcript(result.status, result.text, result.audio_seconds, took, result.reason)

    def close(self) -> None:
        self.worker.stop()
        self._lane.close()


def _transcript(reply: dict[str, Any]) -> Transcript:
    try:
        status = TranscriptStatus(str(reply.get("status")))
    except ValueError:
        return Transcript(TranscriptStatus.failed, reason=f"unexpected reply {reply.get('status')!r}")
    return Transcript(
        status,
        text=str(reply.get("text") or ""),
        audio_seconds=float(reply.get("audio_seconds") or 0.0),
        reason=str(reply.get("reason") or ""),
    )


def make_transcriber(settings: Settings) -> Transcriber:
    """The transcriber VOICE_TRANSCRIPTION asks for: auto = on when the extra is installed."""
    if settings.voice_transcription == VoiceTranscription.off:
        return UnavailableTranscriber("VOICE_TRANSCRIPTION=off")
    if not speech_installed():
        return UnavailableTranscriber("the [voice] extra (viet-asr, av) is not installed")
    return VietAsrTranscriber()
