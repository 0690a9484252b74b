"""The teacher's phone: a small first load of her link page (benchmark printed, never
asserted on time), and the page installable and usable offline."""

from __future__ import annotations

import pytest

from bench.phone import measure
from tests.e2e.test_teacher import CONFIRM, School


@pytest.fixture
def school(live_server, school_admin):
    school = School(live_server, school_admin)
    yield school
    school.client.close()


def test_link_page_first_load_is_small_and_compressed(browser, live_server, school, capsys):
    unit = school.unit("Tổ 1")
    hoa = school.teacher("Lê Thị Hoa", "GVH", unit)
    school.plan("Học tập Nghị quyết 57-NQ/TW")
    link = school.link(hoa["id"])

    first = measure(browser, link["url"], CONFIRM)
    with capsys.disabled():
        print(f"\nlink page, Slow 4G, CPU 4x, empty cache: {first.line()}")
        for path, encoding in sorted(first.encodings.items()):
            print(f"  {encoding or '-':5} {path}")
