"""The app shell's lists (frontend/js/shell.js) against the modules' own import lines: what
index.html preloads and the service worker keeps is exactly what the start and the teacher's
link page import, and index.html preloads the start's modules."""

from __future__ import annotations

import json
import re

from tests.support import ROOT

FRONTEND = ROOT / "frontend"
# Static imports only: import … from "./x.js", import "./x.js" (not import("./x.js")).
STATIC = re.compile(r'(?:\bfrom\s*|^\s*import\s*)"(\.[^"]+)"', re.MULTILINE)


def static_closure(entry: str) -> set[str]:
    seen: set[str] = set()
    todo = [(FRONTEND / entry).resolve()]
    while todo:
        module = todo.pop()
        name = module.relative_to(FRONTEND.resolve()).as_posix()
        if name in seen:
            continue
        seen.add(name)
        text = module.read_text(encoding="utf-8")
        todo.extend((module.parent / spec).resolve() for spec in STATIC.findall(text))
    return seen


def shell_lists() -> dict[str, list[str]]:
    text = (FRONTEND / "js/shell.js").read_text(encoding="utf-8")
    lists = {}
    for name in ("start", "link"):
        body = re.search(rf"{name}: \[(.*?)\]", text, re.DOTALL).group(1)
        lists[name] = json.loads(f"[{body.strip().rstrip(',')}]")
    return lists


def test_the_lists_are_read():
    assert "js/views/link.js" in shell_lists()["link"]


def test_every_file_of_the_shell_exists():
    for files in shell_lists().values():
        assert [f for f in files if not (FRONTEND / f).is_file()] == []


def test_the_start_is_app_js_with_everything_it_imports():
    start = {f for f in shell_lists()["start"] if f.startswith("js/") and f != "js/shell.js"}
    assert start == static_closure("js/app.js")


def test_the_link_page_lists_what_it_imports_beyond_the_start():
    link = set(shell_lists()["link"])
    assert link == static_closure("js/views/link.js") - static_closure("js/app.js")


def test_index_html_preloads_the_start_and_links_only_the_teachers_styles():
    html = (FRONTEND / "index.html").read_text(encoding="utf-8")
    preloaded = set(re.findall(r'<link rel="modulepreload" href="([^"]+)">', html))
    assert preloaded == static_closure("js/app.js") - {"js/app.js"}
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)">', html)
    assert sheets == ["css/base.css", "css/teacher.css"]
    assert [f for f in shell_lists()["start"] if f.startswith("css/")] == sheets


def test_english_is_never_imported_statically():
    assert [
        f for f in static_closure("js/app.js") if f.endswith(".en.js") or f == "js/i18n/en.js"
    ] == []
