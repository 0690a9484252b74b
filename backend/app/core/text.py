"""Accent-insensitive text keys, so "nguyen" finds "Nguyễn" on SQLite and PostgreSQL alike."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def lower_first(text: str) -> str:
    """A title used inside a sentence: "Học tập …" → "học tập …"."""
    return text[:1].lower() + text[1:]


def without_marks(value: str) -> str:
    """The text without Vietnamese marks (Đ becomes D, ễ becomes e), case kept."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(value: str) -> str:
    """Lower-case, without Vietnamese marks (đ becomes d), whitespace collapsed."""
    return _SPACES.sub(" ", without_marks(value)).strip().lower()


# Vietnamese alphabetical order (ă after a, đ after d, ơ after ô ...), the Latin letters of
# foreign names in their places, then digits; tones only break ties, in ICU's order for `vi`.
_LETTERS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz0123456789"
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_OTHER = len(_LETTERS) + 1


def _code(n: int) -> str:
    """Two letters a-z per code: strings of lower-case ASCII letters only compare the same
    way under PostgreSQL's collations (C or a glibc locale) and SQLite's byte order."""
    return chr(97 + n // 26) + chr(97 + n % 26)


def _word_keys(words: list[str]) -> tuple[str, str]:
    letters, tones = [], []
    for word in words:
        if letters:
            letters.append(_code(0))
        for char in unicodedata.normalize("NFC", word.lower()):
            parts = unicodedata.normalize("NFD", char)
            tone = next((_TONES[p] for p in parts if p in _TONES), 0)
            letter = unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONES))
            position = _LETTERS.find(letter) if len(letter) == 1 else -1
            letters.append(_code(position + 1 if position >= 0 else _OTHER))
            tones.append(chr(97 + tone))
    return "".join(letters), "".join(tones)


def name_sort_key(full_name: str) -> str:
    """Sorts staff as Vietnamese lists are sorted: by given name (the last word), then by
    family and middle names, in the Vietnamese alphabet, tones last ("Ánh" before "Bình")."""
    words = _SPACES.split(full_name.strip())
    given, rest = _word_keys(words[-1:]), _word_keys(words[:-1])
    return f"{given[0]}{_code(0)}{rest[0]}{_code(0)}{given[1]}{rest[1]}"


def text_sort_key(value: str) -> str:
    """Sorts the names of things (schools, districts) in the Vietnamese alphabet, word by word
    as written, tones last."""
    letters, tones = _word_keys(_SPACES.split(value.strip()))
    return f"{letters}{_code(0)}{tones}"
