"""The demo's district contest in a real browser: the organiser's leaderboards and export, a
teacher entering the open round from her personal link on a phone, and the public
announcement with masked phones. Each screen is kept as a screenshot at both sizes."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, EXPECTED_REFUSAL, PHONE
from tests.support import LiveServer, scratch_database

WIDE = {"width": 1280, "height": 800}
PASSWORD = "lantoa2025"
TEACHER_LINK = re.compile(r"/l/(ltp_[A-Za-z0-9_-]+)")
RAW_PHONE = re.compile(r"\b0\d{9}\b")


class Demo:
    """`lantoa serve --demo` on a database of its own (the demo's logins would clash with
    the session's server): the district's plan, its contest and the teacher's link."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.teacher_token = TEACHER_LINK.search(server.log()).group(1)
        with httpx.Client(base_url=f"{server.url}/api/v1", timeout=30) as api:
            login = api.post("/auth/login", json={"username": "quantriquan", "password": PASSWORD})
            api.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
            plans = {p["symbol"]: p for p in api.get("/plans").json()["items"]}
            self.plan_id = plans["470/KH-UBND"]["id"]
            self.school_plan_id = plans["05/KH-THNBK"]["id"]
            self.contest = api.get(f"/plans/{self.plan_id}/contests").json()[0]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Iterator[Demo]:
    directory = tmp_path_factory.mktemp("contest-demo")
    with scratch_database(directory) as url:
        server = LiveServer(url, directory, ["--demo"]).start()
        try:
            yield Demo(server)
        finally:
            server.stop()


@pytest.fixture
def open_page(browser: Browser, demo: Demo) -> Iterator:
    """Pages at a viewport, each failing the test on a browser error when it is closed."""
    made: list[tuple[Page, list[str]]] = []

    def open_(viewport: dict[str, int]) -> Page:
        context = browser.new_context(
            viewport=viewport, base_url=demo.server.url, locale="vi-VN", service_workers="block"
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on(
            "console",
            lambda m: (
                errors.append(m.text)
                if m.type == "error" and not EXPECTED_REFUSAL.search(m.text)
                else None
            ),
        )
        made.append((page, errors))
        return page

    yield open_
    for page, errors in made:
        page.context.close()
        assert errors == [], f"browser errors: {errors}"


def keep(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(ARTIFACTS / f"contest-{name}-{width}.png"), full_page=True)


def sign_in(page: Page, username: str) -> None:
    page.goto("/#/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["wide", "phone"])
def test_the_organiser_ranks_and_exports_the_round(open_page, demo, viewport):
    page = open_page(viewport)
    sign_in(page, "quantriquan")
    page.goto(f"/#/plans/{demo.plan_id}")
    page.locator(f'a[href="#/plans/{demo.plan_id}/contests"]', has_text="Cuộc thi").click()
    expect(page.get_by_role("heading", name="Cuộc thi trực tuyến", exact=True)).to_be_visible()
    card = page.locator(".contest-card")
    expect(card.get_by_role("heading", name=demo.contest["title"])).to_be_visible()
    expect(card).to_contain_text("Vòng 1 · Đã kết thúc")
    expect(card).to_contain_text("Vòng 2 · Đang mở")
    people = card.get_by_role("tabpanel")
    expect(people.locator("tbody tr").first).to_contain_text("10/10")
    assert people.locator("tbody tr").count() >= 12
    expect(people).to_contain_text("khách mời")
    keep(page, "organiser")
    for tab, first in (("Trường", "Trường Tiểu học"), ("Quận, huyện", "UBND quận Thanh Khê")):
        card.get_by_role("tab", name=tab).click()
        expect(card.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
        expect(people.locator("tbody tr").first).to_contain_text(first)
    keep(page, "organiser-districts")
    with page.expect_download() as download:
        card.get_by_role("button", name="Xuất Excel").click()
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert book.sheetnames == ["Cá nhân", "Trường", "Quận, huyện"]
    assert len(list(book["Cá nhân"].values)) > 12


def test_the_contest_shows_on_a_plan_that_can_open_one_only(open_page, demo):
    page = open_page(WIDE)
    sign_in(page, "hieutruong")
    page.goto(f"/#/plans/{demo.school_plan_id}")
    expect(page.get_by_role("link", name="Tiến độ, báo cáo")).to_be_visible()
    expect(page.locator(f'a[href="#/plans/{demo.school_plan_id}/contests"]')).to_have_count(0)


def test_a_teacher_enters_the_open_round_from_her_link_on_a_phone(open_page, demo):
    page = open_page(PHONE)
    page.goto(f"/#/l/{demo.teacher_token}/contests")
    expect(page.get_by_role("heading", name=demo.contest["title"])).to_be_visible()
    results = f"#/contest/{demo.contest['public_token']}/results"
    expect(page.get_by_role("link", name="Xem kết quả")).to_have_attribute("href", results)
    keep(page, "mine")
    page.get_by_role("button", name="Vào thi").click()
    expect(page.get_by_role("timer")).to_contain_text(":")
    questions = page.locator("fieldset.contest-question")
    expect(questions).to_have_count(10)
    for index in range(10):
        questions.nth(index).locator("label").first.click()
    page.get_by_label("Dự đoán: vòng thi này có bao nhiêu người tham gia?").fill("12")
    keep(page, "taking")
    page.get_by_role("button", name="Nộp bài").click()
    expect(page.get_by_role("status")).to_contain_text("Đã nộp bài")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(re.compile(r"\d+/10"))
    expect(facts).to_contain_text("12")
    keep(page, "result")
    # Back on her contests, the round is hers: she sees her entry, not a second one.
    page.reload()
    expect(page.get_by_role("button", name="Bài dự thi của tôi")).to_be_visible()
    expect(page.get_by_role("button", name="Vào thi")).to_have_count(0)


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["wide", "phone"])
def test_the_announcement_shows_the_closed_round_with_phones_masked(open_page, demo, viewport):
    page = open_page(viewport)
    page.goto(f"/#/contest/{demo.contest['public_token']}")
    expect(page.get_by_role("button", name="Vào thi vòng 2")).to_be_visible()
    keep(page, "public")
    page.goto(f"/#/contest/{demo.contest['public_token']}/results")
    expect(page.get_by_role("heading", name="Vòng 1")).to_be_visible()
    expect(page.get_by_role("heading", name="Vòng 2")).to_have_count(0)
    expect(page.get_by_role("note")).to_contain_text("Vòng 2")
    board = page.get_by_role("tabpanel").first
    expect(board).to_contain_text(re.compile(r"0\d{3}\*\*\*\d{3}"))
    assert not RAW_PHONE.search(board.inner_text())
    keep(page, "results")
