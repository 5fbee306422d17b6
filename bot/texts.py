"""The transport's own Vietnamese: the line above numbered choices on channels without buttons."""

from __future__ import annotations

CHOICES_HEADER = "Trả lời bằng số:"
