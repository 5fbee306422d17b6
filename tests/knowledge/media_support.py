"""Real Vietnamese speech, platform audio formats made at test time, rendered paper, and the
measures the tests and bench/media.py share (character accuracy, word error rate)."""

from __future__ import annotations

import io
import sys
import unicodedata
import zipfile
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from knowledge.media.audio import SAMPLE_RATE, decode_audio

# Recordings inside the vieneu 3.8.3 wheel (Apache-2.0), with the transcripts its authors give
# beside them (apps/gradio_main.py and examples/main.py of that wheel). Numbers are written as
# read aloud ("Ví dụ 2" is spoken "ví dụ hai"): the model writes words, not digits.
SAMPLES_WHEEL = Path(sys.prefix) / "test-data" / "vieneu-3.8.3-py3-none-any.whl"
SPEECH = {
    "examples/audio_ref/example.wav": "Ví dụ hai. Tính trung bình của dãy số.",
    "examples/audio_ref/example_2.wav": "Trên thực tế, các nghi ngờ đã bắt đầu xuất hiện.",
    "examples/audio_ref/example_3.wav": "Cậu có nhìn thấy không?",
    "examples/audio_ref/example_4.wav": (
        "Tết là dịp mọi người háo hức đón chào một năm mới với nhiều hy vọng và mong ước."
    ),
    "examples/audio_ref/example_ngoc_huyen.wav": (
        "Tác phẩm dự thi bảo đảm tính khoa học, tính đảng, tính chiến đấu, tính định hướng."
    ),
}
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
PAPER = [
    "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "QUYẾT ĐỊNH",
    "Về việc công bố thủ tục hành chính",
    "Điều 1. Giấy tờ chứng minh chỗ ở hợp pháp",
    "được nộp tại bộ phận một cửa của xã.",
    "Điều 2. Thời hạn giải quyết là 07 ngày làm việc.",
]


@dataclass(frozen=True)
class Clip:
    name: str
    wav: bytes
    transcript: str


def speech_clips() -> list[Clip]:
    assert SAMPLES_WHEEL.exists(), f"{SAMPLES_WHEEL} missing: run `make test` (it downloads it)"
    with zipfile.ZipFile(SAMPLES_WHEEL) as wheel:
        return [Clip(name, wheel.read(name), text) for name, text in SPEECH.items()]


def pcm_of(clip: Clip) -> np.ndarray:
    return decode_audio(clip.wav, max_seconds=60)


def encode(pcm: np.ndarray, *, container: str, codec: str, rate: int = 48_000) -> bytes:
    """16 kHz PCM encoded the way a platform sends it: ("ogg", "libopus") is a Telegram voice
    note, ("mp4", "aac") a Zalo one. PyAV's own FFmpeg encoders, so nothing is shipped."""
    import av

    out = io.BytesIO()
    with av.open(out, mode="w", format=container) as target:
        stream = target.add_stream(codec, rate=rate, layout="mono")
        resampler = av.AudioResampler(format=stream.codec_context.format, layout="mono", rate=rate)
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = SAMPLE_RATE, 0, Fraction(1, SAMPLE_RATE)
        for chunk in [*resampler.resample(frame), *resampler.resample(None)]:
            for packet in stream.encode(chunk):
                target.mux(packet)
        for packet in stream.encode(None):
            target.mux(packet)
    return out.getvalue()


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.int16)


def words(text: str) -> list[str]:
    """Lowercase words without punctuation, NFC: how the model writes."""
    kept = "".join(ch if ch.isalnum() or ch.isspace() else " " for ch in unicodedata.normalize("NFC", text))
    return kept.lower().split()


def _distance(a: list[str] | str, b: list[str] | str) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def word_error_rate(reference: str, heard: str) -> float:
    expected = words(reference)
    return _distance(expected, words(heard)) / max(1, len(expected))


def char_accuracy(reference: str, read: str) -> float:
    """1 − character error rate over the text with whitespace collapsed (line breaks are layout)."""
    expected = " ".join(unicodedata.normalize("NFC", reference).split())
    got = " ".join(unicodedata.normalize("NFC", read).split())
    return max(0.0, 1.0 - _distance(expected, got) / max(1, len(expected)))


def render_paper(lines: list[str] = PAPER, *, size: int = 30) -> object:
    """A printed page as a greyscale PIL image (DejaVu Sans, which has every Vietnamese mark)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), size)
    image = Image.new("L", (int(size * 36), int(size * 2.2) * (len(lines) + 1)), 255)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((size * 2, size + int(size * 1.8) * row), line, font=font, fill=0)
    return image


def faded_in_shadow(image: object, *, seed: int = 7) -> object:
    """The same page photographed badly: low contrast, a shadow across it, sensor noise."""
    from PIL import Image, ImageFilter

    ink = 1.0 - np.asarray(image, dtype=np.float64) / 255.0
    height, width = ink.shape
    light = np.linspace(225, 60, width)[None, :].repeat(height, 0)  # bright left, dark right
    noise = np.random.default_rng(seed).normal(0, 3, ink.shape)
    pixels = np.clip(light - ink * 45 + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels).filter(ImageFilter.GaussianBlur(0.5))


def png_bytes(image: object, fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    image.save(out, fmt)  # type: ignore[attr-defined]
    return out.getvalue()
