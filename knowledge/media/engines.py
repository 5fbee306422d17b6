"""The two media engines one process holds: the voice transcriber and the paper reader.

Built in the app's lifespan (nothing starts at import time) and shared by the dialog's media
step and the background reading of blocker attachments, so each engine's lane bounds the
whole process: one voice note and one page at a time, whoever asked.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.settings import Settings
from knowledge.media.ocr import PaperReader
from knowledge.media.speech import Transcriber, UnavailableTranscriber, make_transcriber


@dataclass
class MediaEngines:
    transcriber: Transcriber
    reader: PaperReader

    def close(self) -> None:
        self.transcriber.close()
        self.reader.close()


def make_engines(settings: Settings) -> MediaEngines:
    return MediaEngines(transcriber=make_transcriber(settings), reader=PaperReader())


def no_engines() -> MediaEngines:
    """Without the extra and without tesseract: every reading answers `unavailable`."""
    return MediaEngines(
        transcriber=UnavailableTranscriber("no media engines"), reader=PaperReader(available=False)
    )
