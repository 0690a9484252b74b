"""The frontend shell in a real browser: Vietnamese first, API health, language switch."""

from __future__ import annotations

from playwright.sync_api import expect


def status_value(page, label: str):
    return page.locator(".status-row", has=page.get_by_text(label, exact=True)).locator("dd")


def test_status_screen_shows_api_and_database_health(page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chào mừng đến với Lan Tỏa")
    page.get_by_role("contentinfo").get_by_role("link", name="Tình trạng hệ thống").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tình trạng hệ thống")
    expect(status_value(page, "Cơ sở dữ liệu")).to_have_text("Hoạt động bình thường")
    expect(status_value(page, "Máy chủ API")).to_have_text("Hoạt động bình thường")
    expect(status_value(page, "Phiên bản")).to_have_text("0.1.0")


def test_language_switches_to_english_and_is_remembered(page):
    page.goto("/#/status")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("System status")
    expect(status_value(page, "Database")).to_have_text("Working normally")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("System status")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_unknown_screen_offers_the_way_home(page):
    page.goto("/#/khong-co")
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    page.get_by_role("link", name="Về trang chủ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chào mừng đến với Lan Tỏa")
    # An id that is no number is no screen either (it used to reach the server as an id).
    page.goto("/#/tasks/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
