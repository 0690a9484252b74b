"""The name a downloaded file is saved under, whatever its letters."""

from __future__ import annotations

from urllib.parse import quote

from app.core.text import without_marks


def attachment(filename: str) -> str:
    """A `Content-Disposition` value for `filename` (RFC 6266).

    Header values travel as Latin-1, so a name such as `bao-cao-01-BC-PGDĐT.docx` cannot be
    written as it is (Starlette fails to encode it: a 500). The name goes percent-encoded in
    `filename*`, which every current browser reads, after an accent-free `filename` for older
    clients.
    """
    plain = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_"
        for c in without_marks(filename)
    )
    if plain == filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"
