"""`lantoa remind`: what is due at a moment, sent with --send, and nothing new the second time."""

from __future__ import annotations

import re

from tests.live.test_cli import lantoa  # noqa: F401 - the fixture

NOW = "2027-03-10T09:00+07:00"  # a Wednesday, well after the demo plan's deadline


def test_remind_prints_then_sends_once(lantoa):  # noqa: F811
    assert lantoa("demo").returncode == 0
    shown = lantoa("remind", "--now", NOW)
    assert shown.returncode == 0, shown.stderr
    due = int(re.search(r"(\d+) reminders, \d+ digests due", shown.stdout).group(1))
    assert due > 0 and "confirmation" in shown.stdout
    first = lantoa("remind", "--send", "--now", NOW)
    assert first.returncode == 0, first.stderr
    assert f"sent {due} reminders" in first.stdout
    second = lantoa("remind", "--send", "--now", "2027-03-10T10:30+07:00")
    assert second.returncode == 0, second.stderr
    assert "sent 0 reminders and 0 digests" in second.stdout
    weekend = lantoa("remind", "--now", "2027-03-13T09:00+07:00")
    assert "0 reminders, 0 digests due" in weekend.stdout
    bad = lantoa("remind", "--now", "tomorrow")
    assert bad.returncode != 0
