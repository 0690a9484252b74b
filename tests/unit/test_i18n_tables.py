"""The string tables: a key written twice silently loses one text (a JS object keeps the
last), so every key is written once per language, and both languages have the same keys."""

from __future__ import annotations

import re
from collections import Counter

from tests.support import ROOT

I18N = ROOT / "frontend/js/i18n"
KEY = re.compile(r'^\s*"([^"]+)":', re.MULTILINE)


def keys(language: str) -> Counter:
    tables = [p for p in I18N.glob("*.js") if p.stem.split(".")[-1] == language]
    tables.append(I18N / f"{language}.js")
    found = Counter()
    for table in set(tables):
        found.update(KEY.findall(table.read_text(encoding="utf-8")))
    return found


def test_every_key_is_written_once_per_language():
    for language in ("vi", "en"):
        found = keys(language)
        assert len(found) > 500
        assert [k for k, n in found.items() if n > 1] == [], language


def test_both_languages_have_the_same_keys():
    vi, en = set(keys("vi")), set(keys("en"))
    assert sorted(vi - en) == [] and sorted(en - vi) == []
