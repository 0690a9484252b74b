"""Fictional staff for the demo school: realistic Vietnamese names, made the same way each time."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Trương",
    "Đoàn",
    "Lương",
]
WOMEN_MIDDLE = ["Thị", "Thị", "Thị Thu", "Thị Thanh", "Ngọc", "Thị Minh", "Thị Kim", "Thị Hồng"]
WOMEN_GIVEN = [
    "Mai",
    "Lan",
    "Hoa",
    "Hương",
    "Thảo",
    "Trang",
    "Linh",
    "Hằng",
    "Nga",
    "Yến",
    "Phương",
    "Hạnh",
    "Dung",
    "Vân",
    "Loan",
    "Nhung",
    "Quyên",
    "Tâm",
    "Uyên",
    "Diệp",
    "Hà",
    "Ngân",
]
MEN_MIDDLE = ["Văn", "Văn", "Minh", "Quốc", "Đức", "Hữu", "Công", "Thanh"]
MEN_GIVEN = ["Hùng", "Dũng", "Nam", "Tuấn", "Khoa", "Phong", "Bình", "Sơn", "Long", "Hải", "Trung"]


@dataclass
class DemoPerson:
    full_name: str
    staff_code: str
    position: str
    units: list[str] = field(default_factory=list)
    leader_of: list[str] = field(default_factory=list)
    email: str | None = None
    phone: str | None = None


def _name(rng: random.Random, used: set[str], woman: bool) -> str:
    while True:
        if woman:
            name = f"{rng.choice(FAMILY)} {rng.choice(WOMEN_MIDDLE)} {rng.choice(WOMEN_GIVEN)}"
        else:
            name = f"{rng.choice(FAMILY)} {rng.choice(MEN_MIDDLE)} {rng.choice(MEN_GIVEN)}"
        if name not in used:
            used.add(name)
            return name


def school_staff() -> list[DemoPerson]:
    """About 40 people: the board, five grade groups, an English/arts group and the office."""
    rng = random.Random(57)
    used = {"Bùi Can"}
    staff = [
        DemoPerson("Bùi Can", "HT001", "Hiệu trưởng", ["Ban giám hiệu"], ["Ban giám hiệu"]),
        DemoPerson(
            _name(rng, used, True),
            "PHT001",
            "Phó Hiệu trưởng",
            ["Ban giám hiệu", "Công đoàn"],
            ["Công đoàn"],
        ),
        DemoPerson(_name(rng, used, False), "PHT002", "Phó Hiệu trưởng", ["Ban giám hiệu"]),
    ]
    number = 1
    for group in ["Tổ 1", "Tổ 2", "Tổ 3", "Tổ 4", "Tổ 5", "Tổ Tiếng Anh - Năng khiếu"]:
        for place in range(6 if group != "Tổ Tiếng Anh - Năng khiếu" else 4):
            woman = rng.random() < 0.8
            person = DemoPerson(
                _name(rng, used, woman),
                f"GV{number:03d}",
                "Tổ trưởng" if place == 0 else "Giáo viên",
                [group],
                [group] if place == 0 else [],
            )
            if rng.random() < 0.3:
                person.units.append("Công đoàn")
            if place in (1, 2) and rng.random() < 0.6:
                person.units.append("Chi đoàn thanh niên")
            staff.append(person)
            number += 1
    for code, position in [
        ("NV001", "Kế toán"),
        ("NV002", "Văn thư"),
        ("NV003", "Nhân viên y tế"),
        ("NV004", "Nhân viên thư viện"),
    ]:
        staff.append(
            DemoPerson(
                _name(rng, used, True),
                code,
                position,
                ["Tổ Văn phòng"],
                ["Tổ Văn phòng"] if code == "NV001" else [],
            )
        )
    chi_doan = [p for p in staff if "Chi đoàn thanh niên" in p.units]
    if chi_doan:
        chi_doan[0].leader_of.append("Chi đoàn thanh niên")
    for index, person in enumerate(staff):
        person.phone = f"0905{100000 + index * 731:06d}"
        person.email = f"{person.staff_code.lower()}@nguyenbinhkhiem.example"
    return staff
