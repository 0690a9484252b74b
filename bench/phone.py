"""The teacher's phone: her personal link page's first load under Slow 4G and a slow CPU.

`measure(browser, url)` opens the page in a fresh context (empty cache, no service worker
yet) with the network at 400 kbit/s down and up and 400 ms round trips, the CPU slowed four
times, and answers the time from navigation to the confirm button (which the server renders
into the page: it works before the app's scripts arrive), the time until the app has drawn
her full page over it and the network is quiet, and what crossed the wire by then: bytes
(headers and bodies, as Chromium counts them), requests, the encoding of each response and
the paths fetched. tests/e2e/test_phone.py runs it and prints the figures; nothing asserts
on time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

SLOW_4G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400 * 1000 / 8,
    "uploadThroughput": 400 * 1000 / 8,
}
# Chromium DevTools' own "Slow 4G" preset: 1.6 Mbit/s and 150 ms, with its factors.
DEVTOOLS_SLOW_4G = {
    "offline": False,
    "latency": 150 * 3.75,
    "downloadThroughput": 1.6 * 1000 * 1000 / 8 * 0.9,
    "uploadThroughput": 750 * 1000 / 8 * 0.9,
}
CPU_SLOWDOWN = 4


@dataclass
class FirstLoad:
    bytes: int = 0
    requests: int = 0
    confirm_ms: float = 0.0
    ready_ms: float = 0.0
    encodings: dict[str, str] = field(default_factory=dict)  # path → Content-Encoding

    def line(self) -> str:
        return (
            f"confirm button after {self.confirm_ms / 1000:.2f} s; full page after "
            f"{self.ready_ms / 1000:.2f} s, {self.bytes / 1024:.1f} KB over the wire in "
            f"{self.requests} requests"
        )


def measure(browser, url: str, button: str, ready: str, conditions: dict = SLOW_4G) -> FirstLoad:
    """Open `url` as a phone would the first time: time the button named `button`, then wait
    for the app's own page (the CSS selector `ready`) and a quiet network."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    result = FirstLoad()
    pending: dict[str, str] = {}

    def sent(event) -> None:
        if event["request"]["url"].startswith("http"):
            pending[event["requestId"]] = urlsplit(event["request"]["url"]).path
            result.requests += 1

    def answered(event) -> None:
        path = pending.get(event["requestId"])
        if path is not None:
            headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
            result.encodings[path] = headers.get("content-encoding", "")

    def finished(event) -> None:
        if event["requestId"] in pending:
            result.bytes += int(event["encodedDataLength"])

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.responseReceived", answered)
    cdp.on("Network.loadingFinished", finished)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", conditions)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    try:
        page.goto(url, wait_until="commit")
        page.get_by_role("button", name=button).first.wait_for(state="visible", timeout=60_000)
        result.confirm_ms = page.evaluate("performance.now()")
        page.locator(ready).first.wait_for(state="visible", timeout=60_000)
        result.ready_ms = page.evaluate("performance.now()")
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    return result
