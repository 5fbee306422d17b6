"""Voice notes prepared for the speech model: platform formats decoded to PCM, cut at pauses,
padded. No model here (tests/knowledge/test_media_speech.py runs it)."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from knowledge.media.audio import (
    MAX_PIECE_SECONDS,
    SAMPLE_RATE,
    TAIL_PADDING_SECONDS,
    AudioTooLong,
    AudioUnreadable,
    Piece,
    decode_audio,
    frame_levels,
    padded,
    speech_pieces,
    split_at_pauses,
)
from tests.knowledge.media_support import encode, pcm_of, silence, speech_clips


def _envelope_correlation(original: np.ndarray, decoded: np.ndarray) -> float:
    """How alike the loudness over time is, allowing an encoder's start-up delay (≤ 100 ms)."""
    a, b = frame_levels(original), frame_levels(decoded)
    best = -1.0
    for lag in range(6):
        size = min(a.size, b.size - lag)
        best = max(best, float(np.corrcoef(a[:size], b[lag : lag + size])[0, 1]))
    return best


def _talk(seconds: float, seed: int) -> np.ndarray:
    """Speech-loud noise (a stand-in for talking where only levels matter)."""
    return (np.random.default_rng(seed).normal(0, 3000, int(seconds * SAMPLE_RATE))).astype(np.int16)


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    return pcm_of(speech_clips()[3])  # "Tết là dịp mọi người háo hức …", 4 s


@pytest.mark.parametrize(
    ("platform", "container", "codec", "magic"),
    [
        ("Telegram voice note", "ogg", "libopus", b"OggS"),
        ("Zalo voice message", "ipod", "aac", b"ftypM4A"),
        ("Zalo Bot voice_url", "adts", "aac", b"\xff\xf1"),
        ("web chat, Chromium MediaRecorder", "webm", "libopus", b"\x1a\x45\xdf\xa3"),
        ("web chat, Safari MediaRecorder", "mp4", "aac", b"ftyp"),
    ],
)
def test_platform_audio_decodes_to_16khz_mono_pcm(speech, platform, container, codec, magic) -> None:
    data = encode(speech, container=container, codec=codec)
    assert magic in data[:12], platform
    pcm = decode_audio(data, max_seconds=60)
    assert pcm.dtype == np.int16 and pcm.ndim == 1
    assert abs(pcm.size - speech.size) < 0.1 * SAMPLE_RATE  # same length within 100 ms
    assert _envelope_correlation(speech, pcm) > 0.9  # the same speech, not silence or noise


def test_wav_is_decoded_and_resampled_to_16khz() -> None:
    clip = speech_clips()[0]
    pcm = decode_audio(clip.wav, max_seconds=60)
    assert 2.0 < pcm.size / SAMPLE_RATE < 3.0 and np.abs(pcm).max() > 1000


@pytest.mark.parametrize("data", [b"", b"not audio at all", b"OggS" + b"\x00" * 200, b"%PDF-1.4\n"])
def test_what_is_not_audio_is_unreadable(data: bytes) -> None:
    with pytest.raises(AudioUnreadable):
        decode_audio(data, max_seconds=60)


def test_a_note_over_the_limit_is_refused_without_decoding_it_all() -> None:
    data = encode(_talk(130, seed=1), container="ogg", codec="libopus")
    with pytest.raises(AudioTooLong) as refused:
        decode_audio(data, max_seconds=120)
    assert 120 < refused.value.seconds <= 131


def test_pieces_are_cut_inside_pauses_and_never_longer_than_15_seconds() -> None:
    # 40 s of talk: phrases of 3–7 s, half-second pauses between them.
    rng = np.random.default_rng(3)
    parts, pauses, cursor = [], [], 0
    for index in range(9):
        phrase = _talk(float(rng.uniform(3, 7)), seed=index)
        parts += [phrase, silence(0.5)]
        cursor += phrase.size
        pauses.append((cursor, cursor + int(0.5 * SAMPLE_RATE)))
        cursor += int(0.5 * SAMPLE_RATE)
    note = np.concatenate(parts)
    pieces = split_at_pauses(note)
    assert len(pieces) >= 3
    assert all((p.end - p.start) / SAMPLE_RATE <= MAX_PIECE_SECONDS for p in pieces)
    for earlier, later in pairwise(pieces):
        assert earlier.end == later.start
        assert any(a <= earlier.end <= b for a, b in pauses), f"cut at {earlier.end / SAMPLE_RATE:.2f} s"
    assert pieces[0].start == 0 and pieces[-1].end == note.size  # nothing lost at either end


def test_talk_without_any_pause_is_still_cut_into_pieces_of_15_seconds() -> None:
    pieces = split_at_pauses(_talk(40, seed=5))
    assert len(pieces) == 3
    assert all((p.end - p.start) / SAMPLE_RATE <= MAX_PIECE_SECONDS for p in pieces)


def test_a_short_note_is_one_piece_and_silence_is_none() -> None:
    assert len(split_at_pauses(_talk(6, seed=2))) == 1
    assert split_at_pauses(silence(20)) == []
    assert speech_pieces(silence(3)) == []


def test_real_speech_is_cut_in_silence_never_inside_a_word() -> None:
    note = np.concatenate([x for clip in speech_clips() * 2 for x in (pcm_of(clip), silence(0.4))])
    pieces = split_at_pauses(note)  # about 40 s: the model alone would keep only the end of it
    assert len(pieces) >= 3
    assert all((p.end - p.start) / SAMPLE_RATE <= MAX_PIECE_SECONDS for p in pieces)
    around = int(0.05 * SAMPLE_RATE)
    for piece in pieces[:-1]:
        loudest = int(np.abs(note[piece.end - around : piece.end + around]).max())
        assert loudest < 1000, f"cut at {piece.end / SAMPLE_RATE:.2f} s is inside speech ({loudest})"


def test_each_piece_is_followed_by_silence_for_its_last_word() -> None:
    note = _talk(3, seed=9)
    out = padded(note, Piece(0, note.size))
    tail = out[note.size :]
    assert np.array_equal(out[: note.size], note)
    assert tail.size >= int(0.5 * SAMPLE_RATE) and tail.size == int(TAIL_PADDING_SECONDS * SAMPLE_RATE)
    assert not tail.any()
