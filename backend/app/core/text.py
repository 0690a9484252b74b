"""Accent-insensitive text keys, so "nguyen" finds "Nguyễn" on SQLite and PostgreSQL alike."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(value: str) -> str:
    """Lower-case, without Vietnamese marks (đ becomes d), whitespace collapsed."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()
