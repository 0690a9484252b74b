"""The service worker's version is a digest of the frontend's files: the same files give the
same /sw.js, a changed file a new one (and so a new worker with a new cache)."""

from __future__ import annotations

import os

from app.core.frontend import ServiceWorker


def test_the_version_follows_the_files(tmp_path):
    (tmp_path / "sw.js").write_text('const VERSION = "__VERSION__";\n', encoding="utf-8")
    (tmp_path / "js").mkdir()
    module = tmp_path / "js/app.js"
    module.write_text("export const a = 1;\n", encoding="utf-8")
    worker = ServiceWorker(tmp_path)

    first = worker.body()
    assert first.startswith(b'const VERSION = "') and b"__VERSION__" not in first
    assert worker.body() == first

    module.write_text("export const a = 2;\n", encoding="utf-8")
    stat = module.stat()
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    changed = worker.body()
    assert changed != first
    assert len(changed) == len(first)  # only the version differs
