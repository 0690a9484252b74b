"""Working days and hours: reminders go out Monday to Friday, not on Vietnamese public
holidays, and only within the working hours of a policy, in the app's time zone.

The holidays are data (`holidays_vn.json`), not code: the government announces each year's
Tết and the days off in lieu, so the file is updated every year.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

HOLIDAYS_FILE = Path(__file__).with_name("holidays_vn.json")


@cache
def holidays() -> dict[date, str]:
    """The public holidays on working days, with their names."""
    days = json.loads(HOLIDAYS_FILE.read_text(encoding="utf-8"))["days"]
    return {date.fromisoformat(day): name for day, name in days.items()}


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in holidays()


def local(at: datetime, zone: ZoneInfo) -> datetime:
    """`at` (aware) in the app's time zone."""
    if at.tzinfo is None:
        raise ValueError("a moment needs its time zone")
    return at.astimezone(zone)


def in_working_hours(at: datetime, zone: ZoneInfo, start_hour: int, end_hour: int) -> bool:
    """A working day, from `start_hour` until (not including) `end_hour`, local time."""
    moment = local(at, zone)
    return is_working_day(moment.date()) and start_hour <= moment.hour < end_hour
