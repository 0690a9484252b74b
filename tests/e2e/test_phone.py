"""The teacher's phone: a small first load of her link page (the benchmark's figures printed,
never asserted on), English fetched only when chosen, and the page installable and usable
offline, with what she does meanwhile sent once, when the connection returns."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from bench.phone import DEVTOOLS_SLOW_4G, SLOW_4G, measure
from tests.e2e.conftest import PHONE
from tests.e2e.test_teacher import CONFIRM, School, plan_card, watched_page

SUMMARY = "Thầy cô đọc kỹ Nghị quyết 57-NQ/TW về đột phá phát triển khoa học, công nghệ."


@pytest.fixture
def school(live_server, school_admin):
    school = School(live_server, school_admin)
    yield school
    school.client.close()


def teacher_with_plan(school: School) -> tuple[dict, dict, dict]:
    unit = school.unit("Tổ 1")
    hoa = school.teacher("Lê Thị Hoa", "GVH", unit)
    purpose = {"key": "purpose", "heading": "MỤC ĐÍCH, YÊU CẦU", "body": SUMMARY}
    plan = school.plan("Học tập Nghị quyết 57-NQ/TW", sections=[purpose])
    return hoa, plan, school.link(hoa["id"])


def kept_for_offline(page, tries: int = 100) -> None:
    """Wait until the service worker controls the page and holds her page's data."""
    for _ in range(tries):
        if page.evaluate(
            "async () => navigator.serviceWorker.controller !== null"
            " && (await (await caches.open('lantoa-link-data')).keys()).length > 0"
        ):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the service worker did not keep the page")


def confirmations(school: School, plan: dict, person: dict) -> list[dict]:
    found = school.call("GET", "/acknowledgements", params={"plan_id": plan["id"]})["items"]
    return [a for a in found if a["participant_id"] == person["id"]]


def test_link_page_first_load_is_small_compressed_and_vietnamese_only(
    browser, live_server, school, capsys
):
    _, _, link = teacher_with_plan(school)
    figures = {
        name: measure(browser, link["url"], CONFIRM, "article.plan-card", conditions)
        for name, conditions in (
            ("400 kbit/s, 400 ms", SLOW_4G),
            ("DevTools Slow 4G", DEVTOOLS_SLOW_4G),
        )
    }
    with capsys.disabled():
        for name, first in figures.items():
            print(f"\nlink page, {name}, CPU 4x, empty cache: {first.line()}")
    first = figures["400 kbit/s, 400 ms"]
    fetched = set(first.encodings)
    assert [p for p in fetched if p.endswith(".en.js") or p == "/js/i18n/en.js"] == []
    # Her page's styles come inline with the page the server rendered.
    assert [p for p in fetched if p.startswith("/css/")] == []
    for path in (f"/l/{link['token']}", "/js/app.js", "/js/i18n/vi.js"):
        assert first.encodings[path] == "gzip", path


def test_her_link_confirms_in_one_tap_before_or_without_the_apps_scripts(
    browser, live_server, school
):
    hoa, plan, link = teacher_with_plan(school)
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, locale="vi-VN", java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto(link["url"])
        expect(page.get_by_role("heading", name=f"Xin chào, {hoa['full_name']}")).to_be_visible()
        expect(page.get_by_text(re.compile(r"Còn \d+ kế hoạch chờ thầy cô"))).to_be_visible()
        mine = page.locator(".quick-item").filter(has_text=plan["title"])
        mine.get_by_role("button", name=CONFIRM).click()
        expect(page.get_by_role("heading", name=f"Xin chào, {hoa['full_name']}")).to_be_visible()
        expect(mine).to_have_count(0)
        assert page.url == link["url"]  # the redirect after the form: a reload posts nothing
        [made] = confirmations(school, plan, hoa)
        assert made["method"] == "link"
    finally:
        context.close()


def test_the_app_takes_over_her_link_page_at_one_address(browser, live_server, school):
    hoa, plan, link = teacher_with_plan(school)
    errors: list[str] = []
    page = watched_page(browser, live_server, PHONE, errors)
    held = []
    page.route("**/js/views/link.js", lambda route: held.append(route))  # slow to come
    try:
        page.goto(link["url"])
        first = page.locator(".quick-item").filter(has_text=plan["title"])
        button = first.get_by_role("button", name=CONFIRM)
        expect(button).to_be_visible()
        expect(page.locator(".route-loading")).to_have_count(0)
        # The app has started meanwhile; her button stays until her page is drawn.
        expect(page).to_have_url(f"{live_server.url}/#/l/{link['token']}")
        page.wait_for_timeout(300)
        expect(button).to_be_visible()
        assert page.locator(".route-loading").count() == 0
        held[0].continue_()
        card = plan_card(page, plan)
        expect(card).to_contain_text(SUMMARY)  # the app's page, drawn over the first view
        assert page.url == f"{live_server.url}/#/l/{link['token']}"
        # The app's own links work from here (the address's root, not /l/).
        page.get_by_role("link", name="Tình trạng hệ thống").click()
        expect(page).to_have_url(f"{live_server.url}/#/status")
        page.go_back()
        card.get_by_role("button", name=CONFIRM).click()
        expect(card).to_contain_text("Đã xác nhận")
        assert len(confirmations(school, plan, hoa)) == 1
    finally:
        page.context.close()
    assert errors == []


def test_english_is_fetched_when_she_switches(browser, live_server, school):
    _, plan, link = teacher_with_plan(school)
    errors: list[str] = []
    page = watched_page(browser, live_server, PHONE, errors)
    english: list[str] = []
    page.on("request", lambda r: english.append(r.url) if r.url.endswith("en.js") else None)
    try:
        page.goto(link["url"])
        expect(plan_card(page, plan).get_by_role("button", name=CONFIRM)).to_be_visible()
        assert english == []
        page.get_by_role("button", name="English").click()
        expect(
            plan_card(page, plan).get_by_role("button", name="I have studied it")
        ).to_be_visible()
        # Her page's strings only: the staff screens' areas come with those screens.
        assert sorted(url.rsplit("/", 1)[1] for url in english) == ["en.js", "study.en.js"]
    finally:
        page.context.close()
    assert errors == []


def test_offline_the_page_opens_and_a_confirmation_waits_then_is_sent_once(
    browser, live_server, school
):
    hoa, plan, link = teacher_with_plan(school)
    errors: list[str] = []
    page = watched_page(browser, live_server, PHONE, errors)
    context = page.context
    try:
        page.goto(link["url"])
        expect(plan_card(page, plan).get_by_role("button", name=CONFIRM)).to_be_visible()
        manifest = page.evaluate(
            "fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())"
        )
        assert manifest["name"] == "Lan Tỏa"
        # The service worker takes over and keeps her page.
        kept_for_offline(page)

        context.set_offline(True)
        page.reload()
        card = plan_card(page, plan)
        expect(card).to_contain_text(SUMMARY)
        expect(page.get_by_role("heading", name=f"Xin chào, {hoa['full_name']}")).to_be_visible()
        card.get_by_role("button", name=CONFIRM).click()
        expect(card).to_contain_text("Chờ gửi")
        expect(page.get_by_role("status").filter(has_text="Chờ gửi (1):")).to_contain_text(
            plan["title"]
        )
        # Kept on the phone: a reload without a connection still shows it waiting.
        page.reload()
        expect(plan_card(page, plan)).to_contain_text("Chờ gửi")
        # (What the server holds meanwhile is not asserted: Chromium's offline emulation does
        # not always stop a request of a page that a service worker controls from leaving.)

        context.set_offline(False)
        expect(plan_card(page, plan)).to_contain_text("Đã xác nhận")
        expect(page.locator(".outbox")).to_be_hidden()
        assert len(confirmations(school, plan, hoa)) == 1

        # Sent again (another tab's copy, a retry after a lost answer): still one confirmation.
        page.evaluate(
            "act => localStorage.setItem('lantoa.outbox', JSON.stringify([act]))",
            {
                "kind": "confirm",
                "planId": plan["id"],
                "title": plan["title"],
                "token": link["token"],
                "at": "2026-01-01T00:00:00Z",
            },
        )
        page.reload()
        expect(page.locator(".outbox")).to_be_hidden()
        expect(plan_card(page, plan)).to_contain_text("Đã xác nhận")
        assert page.evaluate("localStorage.getItem('lantoa.outbox')") == json.dumps([])
        assert len(confirmations(school, plan, hoa)) == 1
    finally:
        context.close()
    # Chromium logs each request that found no network; those were expected while offline.
    assert [e for e in errors if "net::ERR_INTERNET_DISCONNECTED" not in e] == []
