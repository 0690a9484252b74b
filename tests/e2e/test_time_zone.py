"""Times on the screens follow the server's time zone (its TIME_ZONE, which /api/v1/health
names), not the zone the phone or computer is set to; days typed are read in it too."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

ZONE = "America/New_York"


def test_times_are_shown_and_read_in_the_zone_the_server_names(page):
    told = {}

    def health(route):
        response = route.fetch()
        told.update(response.json(), time_zone=ZONE)
        route.fulfill(response=response, json=told)

    page.route("**/api/v1/health", health)
    page.goto("/#/status")
    row = page.locator(".status-row", has=page.get_by_text("Kiểm tra lúc", exact=True))
    expect(row).to_be_visible()
    checked = datetime.fromisoformat(told["time"]).astimezone(ZoneInfo(ZONE))
    expect(row.locator("dd")).to_have_text(checked.strftime("%d/%m/%Y %H:%M"))

    seen = page.evaluate(
        """async () => {
          const format = await import("/js/lib/format.js");
          const zone = await import("/js/lib/zone.js");
          return {
            time: format.formatDateTime("2025-03-15T00:30:00Z"),
            day: format.formatDate("2025-03-15"),
            instantDay: zone.isoDay("2025-03-15T03:00:00Z"),
            summer: zone.zonedInstant("2025-03-15", "07:30"),
            winter: zone.zonedInstant("2025-01-15", "07:30"),
            month: zone.zonedInstant("2025-03-01"),
          };
        }"""
    )
    assert seen == {
        "time": "14/03/2025 20:30",
        "day": "15/03/2025",  # a calendar day is the same day everywhere
        "instantDay": "2025-03-14",
        "summer": "2025-03-15T07:30:00-04:00",
        "winter": "2025-01-15T07:30:00-05:00",
        "month": "2025-03-01T00:00:00-05:00",
    }
