"""Which characters stored text may hold: one rule, refused at input and removed on output.

Refused: the C0 control characters except tab and line feed (a carriage return only as part
of a CRLF line break, which counts as a line feed), lone surrogates and U+FFFE/U+FFFF.
PostgreSQL cannot store NUL and neither database can encode a lone surrogate (both were 500s),
and XML 1.0 - so every .xlsx and .docx - can carry none of them: one such character in a
school's name broke the district's roll-up. The request layer refuses them
(`app.core.routing.refuse_unsafe_text`), the staff import reports them as row errors, and every
export passes its text through `without_unsafe_characters`, for values stored before the rule.
DEL and the C1 controls are legal XML and harmless to both databases: they stay.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|\r(?!\n)")


def normalise_newlines(text: str) -> str:
    """CRLF (Windows, and what browsers send in multipart forms) becomes LF."""
    return text.replace("\r\n", "\n")


def unsafe_character(text: str) -> str | None:
    """The first character of `text` that stored text may not hold, if any."""
    found = _UNSAFE.search(text)
    return found.group() if found else None


def unsafe_character_message(character: str) -> str:
    code = f"U+{ord(character):04X}"
    return (
        f"Không được chứa ký tự điều khiển hoặc ký tự không hợp lệ ({code}). "
        f"/ Must not contain control or invalid characters ({code})."
    )


def without_unsafe_characters(text: str) -> str:
    """`text` as an export writes it: line breaks as LF, refused characters dropped."""
    return _UNSAFE.sub("", normalise_newlines(text))
