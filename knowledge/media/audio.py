"""Voice notes as the speech model needs them: decoded to 16 kHz mono int16, cut at pauses
into pieces the model keeps whole, each piece followed by enough silence for its last word.

Pure functions of numpy arrays (PyAV only to decode), so every step is tested without the model.
Why each step exists (viet-asr 0.1.0.dev11, measured): it reads PCM WAV only and returns ""
for OGG/Opus (Telegram) and M4A/AAC (Zalo) without an error; it keeps only the last few
segments of audio longer than about 15 s; it drops the last word unless about half a second
of silence follows it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 16_000
FRAME = SAMPLE_RATE // 50  # 20 ms frames for the pause finder
MAX_PIECE_SECONDS = 15.0
MIN_PIECE_SECONDS = 4.0  # a cut earlier than this would split a sentence for no gain
MIN_PAUSE_SECONDS = 0.2
LAST_RESORT_FRAMES = 100  # 2 s: where a piece without any pause is cut
TAIL_PADDING_SECONDS = 0.6
# Frames quieter than this (int16 RMS, about -50 dBFS) are silence even in a silent room.
ABSOLUTE_QUIET = 100.0


class AudioUnreadable(Exception):
    """Not audio, damaged, or a format FFmpeg cannot decode."""


class AudioTooLong(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"{seconds:.0f} s of audio")
        self.seconds = seconds


@dataclass(frozen=True)
class Piece:
    start: int  # sample offsets into the note
    end: int


def decode_audio(data: bytes, *, max_seconds: float) -> np.ndarray:
    """Any container FFmpeg reads (OGG/Opus, M4A/AAC, MP3, WAV…) as 16 kHz mono int16.

    Raises AudioTooLong as soon as the decoded audio passes `max_seconds`, so a long file is
    never decoded whole."""
    import av

    limit = int(max_seconds * SAMPLE_RATE)
    chunks: list[np.ndarray] = []
    total = 0
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.audio:
                raise AudioUnreadable("no audio stream")
            stream = container.streams.audio[0]
            if stream.duration is not None and stream.time_base is not None:
                declared = float(stream.duration * stream.time_base)
                if declared > max_seconds + 1:
                    raise AudioTooLong(declared)
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    total += chunk.size
                if total > limit:
                    raise AudioTooLong(total / SAMPLE_RATE)
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except (AudioTooLong, AudioUnreadable):
        raise
    except (av.FFmpegError, ValueError, IndexError, OSError) as exc:
        raise AudioUnreadable(type(exc).__name__) from exc
    if not chunks:
        raise AudioUnreadable("no audio frames")
    pcm = np.concatenate(chunks).astype(np.int16, copy=False)
    if pcm.size > limit:
        raise AudioTooLong(pcm.size / SAMPLE_RATE)
    return pcm


def frame_levels(pcm: np.ndarray) -> np.ndarray:
    """RMS level of each 20 ms frame (the last partial frame included)."""
    count = -(-pcm.size // FRAME)
    padded = np.zeros(count * FRAME, dtype=np.float64)
    padded[: pcm.size] = pcm
    return np.sqrt(np.mean(padded.reshape(count, FRAME) ** 2, axis=1))


def quiet_threshold(levels: np.ndarray) -> float:
    """Above the room's noise floor, below speech: adapts to a noisy street or a quiet office."""
    if levels.size == 0:
        return ABSOLUTE_QUIET
    noise = float(np.percentile(levels, 10))
    loud = float(np.percentile(levels, 95))
    return max(ABSOLUTE_QUIET, min(noise * 3.0, loud * 0.2))


def _pauses(quiet: np.ndarray, min_frames: int) -> list[tuple[int, int]]:
    """(first, last + 1) frame index of every run of quiet frames at least `min_frames` long."""
    runs: list[tuple[int, int]] = []
    start = None
    for index, is_quiet in enumerate(quiet.tolist()):
        if is_quiet and start is None:
            start = index
        elif not is_quiet and start is not None:
            if index - start >= min_frames:
                runs.append((start, index))
            start = None
    if start is not None and quiet.size - start >= min_frames:
        runs.append((start, int(quiet.size)))
    return runs


def _cut(start: int, levels: np.ndarray, pauses: list[tuple[int, int]], max_frames: int) -> int:
    """The frame where the piece beginning at `start` ends: the middle of the longest pause
    inside the allowed window (the latest among equals); with no pause at all, the quietest
    frame of the window's last 2 s (pieces as long as allowed: fewer cuts, fewer split words)."""
    earliest, latest = start + int(MIN_PIECE_SECONDS * 50), start + max_frames
    inside = [(b - a, (a + b) // 2) for a, b in pauses if earliest <= (a + b) // 2 <= latest]
    if not inside:
        inside = [(b - a, (a + b) // 2) for a, b in pauses if start < (a + b) // 2 <= latest]
    if inside:
        return max(inside)[1]
    offset = max(start + 1, latest - LAST_RESORT_FRAMES)
    return offset + int(np.argmin(levels[offset:latest]))


def split_at_pauses(pcm: np.ndarray, *, max_seconds: float = MAX_PIECE_SECONDS) -> list[Piece]:
    """Pieces of at most `max_seconds`, cut in pauses; silent pieces are left out."""
    levels = frame_levels(pcm)
    quiet = levels < quiet_threshold(levels)
    pauses = _pauses(quiet, int(MIN_PAUSE_SECONDS * 50))
    max_frames = int(max_seconds * 50)
    pieces: list[Piece] = []
    start = 0
    while start < levels.size:
        end = levels.size if levels.size - start <= max_frames else _cut(start, levels, pauses, max_frames)
        if not quiet[start:end].all():
            pieces.append(Piece(start * FRAME, min(end * FRAME, pcm.size)))
        start = end
    return pieces


def padded(pcm: np.ndarray, piece: Piece, *, seconds: float = TAIL_PADDING_SECONDS) -> np.ndarray:
    """The piece with `seconds` of silence after it, so the model emits its last word."""
    tail = np.zeros(int(seconds * SAMPLE_RATE), dtype=np.int16)
    return np.concatenate([pcm[piece.start : piece.end], tail])


def speech_pieces(pcm: np.ndarray) -> list[np.ndarray]:
    """What the model is given for one note: padded pieces of at most 15 s."""
    return [padded(pcm, piece) for piece in split_at_pauses(pcm)]
