"""The text keys: accent-free search and the Vietnamese order of names."""

from __future__ import annotations

import re

from app.core.text import fold, name_sort_key


def test_fold_drops_marks_and_case():
    assert fold("  Nguyễn   Thị ĐẸP ") == "nguyen thi dep"


def test_names_order_by_given_name_then_family_and_middle_names():
    names = [
        "Trần Thị Mai",
        "Lê Ưng",
        "Nguyễn Thị Mai Anh",
        "Đỗ Văn An",
        "Vũ Thị Hạ",
        "Nguyễn Thị Mai",
        "Lê Văn Ân",
        "Vũ Thị Hà",
        "Lê Ăn",
        "John Smith",
        "Vũ Thị Há",
        "Nguyễn Uyên",
        "Lê An",
    ]
    assert sorted(names, key=name_sort_key) == [
        "Đỗ Văn An",  # An: Đỗ before Lê, since đ comes before l
        "Lê An",
        "Nguyễn Thị Mai Anh",  # Anh after An
        "Lê Ăn",  # ă after a
        "Lê Văn Ân",  # â after ă
        "Vũ Thị Hà",  # tones break ties only: huyền, then sắc, then nặng
        "Vũ Thị Há",
        "Vũ Thị Hạ",
        "Nguyễn Thị Mai",
        "Trần Thị Mai",
        "John Smith",
        "Nguyễn Uyên",
        "Lê Ưng",  # ư after u
    ]


def test_the_key_is_lower_case_ascii_letters_only():
    """So PostgreSQL's collation (C or a glibc locale) orders it as SQLite does, byte by byte."""
    for name in ["Nguyễn Thị Ánh", "O'Brien Mary-Jane", "Lê  Văn\tĐức", "Nguyễn 2"]:
        assert re.fullmatch("[a-z]+", name_sort_key(name))
    assert name_sort_key("LÊ VĂN ĐỨC") == name_sort_key("Lê Văn Đức")
