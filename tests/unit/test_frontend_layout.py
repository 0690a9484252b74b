"""The frontend's layers, read from its import lines: a screen (views/) builds on lib/ and
components/ and never on another screen, so that changing one screen never changes another;
lib/ (formatting, downloads, busy state) builds on no screen and no component."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support import ROOT

JS = ROOT / "frontend/js"
# import … from "./x.js", import "./x.js", import("./x.js")
SPECIFIER = re.compile(r'(?:\bfrom\s*|^\s*import\s*|\bimport\s*\(\s*)"(\.[^"]+)"', re.MULTILINE)


def imported(module: Path) -> set[Path]:
    text = module.read_text(encoding="utf-8")
    return {(module.parent / spec).resolve() for spec in SPECIFIER.findall(text)}


def edges(folder: str, into: str) -> list[str]:
    """`module → target` for each import from a module under `folder` of one under `into`."""
    target = (JS / into).resolve()
    return sorted(
        f"{module.relative_to(JS)} → {found.relative_to(JS.resolve())}"
        for module in (JS / folder).glob("*.js")
        for found in imported(module)
        if found.parent == target
    )


def test_the_import_lines_are_read():
    assert "views/tasks.js → components/list-screen.js" in edges("views", "components")
    assert "components/report-head.js → lib/format.js" in edges("components", "lib")


def test_views_never_import_each_other():
    assert edges("views", "views") == []


def test_components_and_lib_never_import_views():
    assert edges("components", "views") + edges("lib", "views") == []


def test_lib_never_imports_components():
    assert edges("lib", "components") == []


def test_the_time_zone_is_named_in_one_place():
    """The server says which zone (TIME_ZONE); lib/zone.js keeps it and its one default."""
    naming = sorted(
        str(module.relative_to(JS))
        for module in JS.rglob("*.js")
        if re.search(r"Asia/Ho_Chi_Minh|[+]07:00", module.read_text(encoding="utf-8"))
    )
    assert naming == ["lib/zone.js"]
