"""Issue 6's remaining walk-throughs in a real browser, on the demo data: the head follows a
reminder naming whose review waits and scores it with a disciplinary sanction (rated không hoàn
thành whatever the total, the reason shown); the personnel officer computes the year, sees a
group over the 20% cap with who is over and by how much, and finalising leaves that group in
draft with a warning instead of failing silently.

Same set-up as tests/test_browser.py: a live server on its own SQLite file (tests/live_server.py)
driven by headless Debian Chromium; screenshots in test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import (
    Locator,
    Page,
    expect,
)

from tests.live_server import CHROMIUM, LiveServer, serve_demo
from tests.test_browser import (
    SCREENSHOTS,
    _cell,
    _number,
    screenshot,
    sign_in,
    sign_out,
)

pytestmark = pytest.mark.browser

SLOW_MS = 60_000
OVER_CAP_REASON = "Thành tích nổi bật trong năm, đề nghị xếp loại xuất sắc"


def long_screenshot(page: Page, name: str) -> None:
    """A full-page screenshot of a long page (the year of a whole department)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True, timeout=SLOW_MS)


@pytest.fixture(autouse=True)
def _transaction() -> Iterator[None]:
    """The live server uses its own database, not the suite's per-test transaction."""
    yield


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (CI installs it)")
    with serve_demo(tmp_path_factory.mktemp("browser-annual")) as server:
        yield server


def test_the_head_scores_a_disciplined_month(page: Page, live_server: LiveServer) -> None:
    sign_in(page, live_server, "head")
    page.wait_for_url(live_server.at("/"))
    # the reminder names whose review waits for scoring
    reminder = page.get_by_test_id("review-reminders").locator("[data-reminder=score] a").first
    named = reminder.inner_text()
    reminder.click()
    page.wait_for_url(re.compile(r"/reviews/\d+$"))
    person = page.locator("h1").inner_text()
    assert any(part in named for part in person.split(" — ")[0].split()[-2:]), (named, person)

    form = page.get_by_test_id("score-form")
    lines = form.get_by_test_id("score-lines").locator("tbody tr")
    for i in range(lines.count()):
        lines.nth(i).locator("input[name$='-returns']").fill("0")
        lines.nth(i).locator("input[name$='-delays']").fill("0")
    general = form.get_by_test_id("general-points").locator("tbody tr")
    for i in range(general.count()):
        row = general.nth(i)
        most = _number(row.locator("th span").inner_text())
        row.locator("input[name$='-points']").fill(f"{most:f}".replace(".", ","))
    form.locator("input[name=disciplined]").check()
    screenshot(page, "review-head-discipline-filled")
    form.get_by_test_id("save-score").click()
    expect(page.locator(".alert-success")).to_be_visible()

    subtotals = page.get_by_test_id("subtotals")

    def value(name: str) -> str:
        return subtotals.locator(f"[data-value={name}]").first.inner_text().strip()

    # full general points: a passing total, yet không hoàn thành for the sanction, with why
    assert _number(value("total")) >= 50
    assert not re.search(r"không hoàn thành", value("band"), re.IGNORECASE), value("band")
    assert re.search(r"không hoàn thành", value("rating"), re.IGNORECASE), value("rating")
    assert "kỷ luật" in value("reason")
    screenshot(page, "review-head-discipline-scored")
    sign_out(page)


def test_the_officer_sees_who_is_over_the_cap(page: Page, live_server: LiveServer) -> None:
    sign_in(page, live_server, "officer")
    page.wait_for_url(live_server.at("/"))
    page.goto(live_server.at("/reviews/annual/"))
    page.get_by_test_id("annual-choose").locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/reviews/annual/\d+/\d{4}$"))
    annual_url = page.url
    # computing and finalising a department's year take a while on a loaded machine
    page.get_by_test_id("compute-form").locator("button[type=submit]").click(timeout=SLOW_MS)
    page.wait_for_url(annual_url, timeout=SLOW_MS)
    expect(page.locator(".alert-success")).to_be_visible()
    rows = page.get_by_test_id("annual-ratings").locator("tbody tr[data-annual]")
    assert rows.count() >= 5, "the demo's finished months rate the department's year"

    def group() -> Locator:
        """The professionals' group of the department in the cap report."""
        return (
            page.get_by_test_id("cap-report")
            .locator("tbody tr")
            .filter(has=page.locator("td", has_text=re.compile(r"^professional$")))
            .first
        )

    def professional() -> tuple[int, int]:
        allowed, rated = (int(_cell(group(), k)) for k in (3, 4))
        return allowed, rated

    allowed, rated = professional()
    # rate good people of the group excellent (with a reason) until one too many are at the top
    good = rows.filter(has=page.locator("td[data-final=good]")).filter(
        has=page.locator("td", has_text=re.compile(r"^professional$"))
    )
    for _ in range(max(0, allowed - rated + 1)):
        annual_id = good.first.get_attribute("data-annual")
        form = page.get_by_test_id(f"adjust-{annual_id}")
        page.locator(f"tr[data-annual='{annual_id}'] + tr summary").click()
        form.locator("select[name$=override_rating]").select_option("excellent")
        form.locator("textarea[name$=override_reason]").fill(OVER_CAP_REASON)
        form.locator("button[type=submit]").click(timeout=SLOW_MS)
        page.wait_for_url(re.compile(r"/reviews/annual/\d+/\d{4}"), timeout=SLOW_MS)
        expect(page.locator(".alert-success")).to_be_visible()
        allowed, rated = professional()
    excess = rated - allowed
    assert excess >= 1
    expect(group()).to_have_class(re.compile("table-danger"))
    expect(group().locator(f"[data-excess='{excess}']")).to_be_visible()
    assert group().locator("[data-top]").count() == rated  # who, lowest average first
    expect(page.get_by_test_id("over-cap")).to_be_visible()
    long_screenshot(page, "annual-over-cap")

    # finalising: the over-cap group stays in draft, with a warning saying by how much
    page.get_by_test_id("finalise-form").locator("button[type=submit]").click(timeout=SLOW_MS)
    page.wait_for_url(annual_url, timeout=SLOW_MS)
    warning = page.locator(".alert-warning").filter(has_text="professional").first
    expect(warning).to_be_visible()
    said = warning.inner_text()
    assert re.search(rf"\b{rated}\b", said) and re.search(rf"\b{excess}\b", said), said
    top = group().locator("[data-top]")
    for i in range(top.count()):
        person_id = top.nth(i).get_attribute("data-top")
        state = page.locator(f"tr[data-employee='{person_id}'] td").nth(8)
        expect(state).not_to_contain_text("Đã chốt")  # not finalised: a draft still
    long_screenshot(page, "annual-finalised-over-cap")
    sign_out(page)
