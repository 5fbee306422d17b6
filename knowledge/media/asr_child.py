"""The speech worker process: loads viet-asr once and transcribes the notes it is sent.

`python -m knowledge.media.asr_child`, requests on stdin, replies on stdout (one JSON line
each). Runs in its own process (started by knowledge/media/speech.py) so a stuck or crashing alpha
native library costs one restart, never the server; decoding (FFmpeg) runs here too, for the
same reason. It imports nothing from the product beyond knowledge/media/audio.py.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any, BinaryIO

# Quiet: the native library logs every call at INFO level on stderr.
_LOG_LEVEL_SILENT = 5


def load_pipeline() -> Any:
    import vietasr
    from vietasr.ffi import native

    native.lib.vietasr_set_log_level(_LOG_LEVEL_SILENT)
    return vietasr.Pipeline.preset("transcribe")


def transcribe(pipeline: Any, data: bytes, max_seconds: float) -> dict[str, Any]:
    from knowledge.media.audio import (
        SAMPLE_RATE,
        AudioTooLong,
        AudioUnreadable,
        decode_audio,
        speech_pieces,
    )

    started = time.monotonic()
    try:
        pcm = decode_audio(data, max_seconds=max_seconds)
    except AudioTooLong as exc:
        return {"status": "too_long", "audio_seconds": exc.seconds}
    except AudioUnreadable as exc:
        return {"status": "unreadable", "reason": str(exc)}
    texts = []
    for piece in speech_pieces(pcm):
        text = " ".join(str(pipeline.transcribe(piece, sample_rate=float(SAMPLE_RATE)).text).split())
        if text:
            texts.append(text)
    return {
        "status": "ok" if texts else "empty",
        "text": " ".join(texts),
        "audio_seconds": pcm.size / SAMPLE_RATE,
        "engine_seconds": time.monotonic() - started,
    }


def read_request(stream: BinaryIO) -> dict[str, Any] | None:
    """One request: a JSON header line naming `size`, then that many bytes of audio."""
    line = stream.readline()
    if not line:
        return None
    header = json.loads(line)
    data = stream.read(int(header["size"]))
    return {**header, "data": data}


def write_reply(stream: BinaryIO, reply: dict[str, Any]) -> None:
    stream.write(json.dumps(reply, ensure_ascii=False).encode("utf-8") + b"\n")
    stream.flush()


def serve(requests: BinaryIO, replies: BinaryIO) -> None:
    """Answer requests until the parent closes the pipe. The first reply says ready."""
    try:
        pipeline = load_pipeline()
    except Exception as exc:  # the engine itself is broken: say so once and stop
        write_reply(replies, {"status": "failed", "reason": f"load: {type(exc).__name__}: {exc}"})
        return
    write_reply(replies, {"status": "ready"})
    while (request := read_request(requests)) is not None:
        try:
            reply = transcribe(pipeline, request["data"], float(request["max_seconds"]))
        except Exception as exc:  # one bad note must not end the worker
            reply = {"status": "failed", "reason": f"{type(exc).__name__}: {exc}"}
        write_reply(replies, reply)


if __name__ == "__main__":
    # Replies get their own copy of stdout; whatever the native library prints goes to stderr.
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(sys.stdin.buffer, replies)
