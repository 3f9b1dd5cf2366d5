"""The demo accounts in a real browser: sign-in, the navigation each role sees, scope, sign-out.

A live server on its own SQLite file, migrated and loaded with the demo data, is driven by
headless Chromium (Debian's ``/usr/bin/chromium``; Playwright's bundled browsers are not used).
Screenshots go to ``test-artifacts/screenshots/`` at the repository root (git-ignored).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from playwright.sync_api import (
    Locator,
    Page,
    expect,
)

from hrms.settings import DEFAULT_DEMO_PASSWORD
from tests.live_server import CHROMIUM, LiveServer, serve_demo

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
PASSWORD = DEFAULT_DEMO_PASSWORD

HOME = "home.index"
ORG = "org.list_units"
ACCOUNTS = "accounts.list_users"
AUDIT = "audit.list_entries"

#: demo account -> (full name shown in the user menu, the navigation it must see); hrms/demo.py
MINE = "employees.my_dossier"
DOSSIERS = "employees.list_employees"
CODES = "codes.list_lists"
ASK, DECIDE = "corrections.my_requests", "corrections.list_requests"
#: the "Job positions" drop-down
MY_GAPS, PLANS, STAFFING = "staffing.my_competencies", "positions.list_plans", "staffing.index"
CATALOGUE, COMPETENCIES = "positions.catalogue", "positions.competencies"
POSITIONS = {PLANS, STAFFING, CATALOGUE, COMPETENCIES}
#: the "Reviews" drop-down
MY_REVIEWS, PERIODS, ANNUAL = "reviews.my_reviews", "reviews.list_periods", "reviews.annual_index"
#: the "Salary" drop-down
MY_PAY = {"salary.my_salary", "salary.my_raise", "salary.my_retirement"}
SALARY = {"salary.raise_list", "salary.early_raises", "salary.retirement_list"}
STATISTICS = "reports.dashboard"
#: what every account with a dossier of its own opens
OWN = {MINE, ASK, MY_GAPS, MY_REVIEWS} | MY_PAY
OFFICER = {HOME, DOSSIERS, ORG, DECIDE, PERIODS, ANNUAL, STATISTICS} | OWN | POSITIONS | SALARY
HEAD = {HOME, DOSSIERS, ORG, PERIODS, STATISTICS} | OWN | POSITIONS
ACCOUNTS_SEEN = {
    "admin": (
        "Quản trị hệ thống",
        {HOME, DOSSIERS, ORG, DECIDE, ACCOUNTS, AUDIT, CODES, PERIODS, ANNUAL, STATISTICS}
        | {"reviews.scheme_list", "salary.rules_index"}
        | POSITIONS
        | SALARY,
    ),
    "officer": ("Trần Thị Thu Hà", OFFICER),
    "head": ("Nguyễn Văn Ân", HEAD),
    "staff": ("Lê Thị Ngọc Ánh", {HOME} | OWN),
    "officer2": ("Phạm Quốc Đạt", OFFICER),
    "head2": ("Võ Minh Đức", HEAD),
    "staff2": ("Đặng Thị Hồng Nhung", {HOME} | OWN),
}

OWN_DIVISION = "Phòng Xây dựng chính quyền và công tác thanh niên"
OTHER_DIVISION = "Phòng Công chức, viên chức"


@pytest.fixture(autouse=True)
def _transaction() -> Iterator[None]:
    """Replaces the suite's per-test transaction, which would swap the global ``db.session``
    for one bound to the shared test database: the live server must use its own database."""
    yield


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app on a fresh SQLite file with the demo data, served on a free local port."""
    if not CHROMIUM.exists():  # checked first: no server is built for nothing
        pytest.skip("Debian chromium is not installed (CI installs it)")
    with serve_demo(tmp_path_factory.mktemp("browser")) as server:
        yield server


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in(page: Page, server: LiveServer, username: str, password: str = PASSWORD) -> None:
    page.goto(server.at("/login"))
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.get_by_test_id("login-submit").click()


def nav_endpoints(page: Page) -> set[str]:
    links = page.get_by_test_id("main-nav").locator("a[data-nav]")
    return set(links.evaluate_all("links => links.map(a => a.dataset.nav)"))


def unit_names(page: Page) -> list[str]:
    return page.get_by_test_id("units").locator("tbody a").all_inner_texts()


@pytest.mark.parametrize("username", list(ACCOUNTS_SEEN))
def test_each_demo_account_sees_its_navigation(
    page: Page, live_server: LiveServer, username: str
) -> None:
    full_name, expected_nav = ACCOUNTS_SEEN[username]

    sign_in(page, live_server, username)
    page.wait_for_url(live_server.at("/"))

    assert nav_endpoints(page) == expected_nav
    # the name with its diacritics, as stored and as shown (NFC, not mangled by any encoding)
    expect(page.get_by_test_id("user-menu")).to_have_text(full_name)
    assert full_name in page.locator("main").inner_text()
    expect(page.get_by_test_id("language-switch")).to_be_visible()
    screenshot(page, f"{username}-home")

    page.get_by_test_id("user-menu").click()
    logout = page.get_by_test_id("logout")
    expect(logout).to_be_visible()  # Bootstrap's dropdown script ran under the CSP
    logout.click()
    page.wait_for_url(live_server.at("/login"))
    expect(page.get_by_test_id("login-submit")).to_be_visible()
    expect(page.get_by_test_id("user-menu")).to_have_count(0)
    assert nav_endpoints(page) == set()


def test_wrong_password_stays_on_login_with_an_error(page: Page, live_server: LiveServer) -> None:
    with page.expect_response(
        lambda response: response.request.method == "POST" and "/login" in response.url
    ) as answer:
        sign_in(page, live_server, "staff2", "not-the-password-2026")

    assert answer.value.status == 401
    expect(page.get_by_test_id("form-errors")).to_be_visible()
    expect(page.get_by_test_id("form-errors")).not_to_be_empty()
    assert page.url == live_server.at("/login")
    expect(page.get_by_test_id("user-menu")).to_have_count(0)
    expect(page.locator("input[name=password]")).to_have_value("")  # never echoed back
    screenshot(page, "wrong-password")


@pytest.mark.parametrize(
    ("username", "sees_other_division"), [("officer", True), ("officer2", False), ("head2", False)]
)
def test_organisation_page_shows_only_units_in_scope(
    page: Page, live_server: LiveServer, username: str, sees_other_division: bool
) -> None:
    sign_in(page, live_server, username)
    page.wait_for_url(live_server.at("/"))

    response = page.goto(live_server.at("/units/"))

    assert response is not None
    assert response.status == 200
    expect(page.get_by_test_id("units")).to_be_visible()
    names = unit_names(page)
    assert OWN_DIVISION in names
    assert (OTHER_DIVISION in names) is sees_other_division
    if sees_other_division:
        assert "Sở Nội vụ tỉnh Ninh Bình" in names
    else:
        assert "Sở Nội vụ tỉnh Ninh Bình" not in names
    screenshot(page, f"{username}-units")


def test_staff_is_refused_the_organisation_page(page: Page, live_server: LiveServer) -> None:
    sign_in(page, live_server, "staff")
    page.wait_for_url(live_server.at("/"))

    response = page.goto(live_server.at("/units/"))

    assert response is not None
    assert response.status == 403
    expect(page.get_by_test_id("units")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("403")
    screenshot(page, "staff-units-403")


def choose(page: Page, select: str, text: str) -> None:
    """Pick the option of ``select`` whose label contains ``text`` (labels carry live counts)."""
    option = page.locator(f"{select} option", has_text=text).first
    value = option.get_attribute("value")
    assert value, f"no option with {text!r} in {select}"
    page.select_option(select, value)


def sign_out(page: Page) -> None:
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/login")


def _plan_link(page: Page, unit_name: str) -> str:
    """The newest plan version of a unit in the plans list (rows list the unit, then versions)."""
    row = page.get_by_test_id("plan-row").filter(has_text=unit_name).first
    href = row.locator("a[href^='/positions/plans/']").first.get_attribute("href")
    assert href is not None
    return href


def test_a_position_plan_from_draft_to_placement_and_assessment(
    page: Page, live_server: LiveServer
) -> None:
    """Issue 5's walk-through: the head drafts from the catalogue, the officer approves, the head
    places someone and assesses them, and each role sees exactly its scope."""
    head_division = "Phòng Công chức, viên chức"

    # the head starts a new version of the division's approved plan and adds a catalogue position
    sign_in(page, live_server, "head")
    page.wait_for_url(live_server.at("/"))
    page.goto(live_server.at("/positions/plans/?state=approved"))
    page.goto(live_server.at(_plan_link(page, head_division)))
    expect(page.get_by_test_id("state")).to_have_attribute("data-state", "approved")
    page.get_by_test_id("start-next").click()
    expect(page.get_by_test_id("state")).to_have_attribute("data-state", "draft")
    draft_url = page.url
    page.get_by_test_id("add-from-catalogue").click()
    choose(page, "select[name=framework_position_id]", "VT-DC-02")
    page.fill("input[name=code]", "CCVC-05")
    page.fill("input[name=headcount]", "3")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("CCVC-05")
    page.goto(draft_url)
    expect(page.get_by_test_id("position-row").filter(has_text="CCVC-05")).to_have_count(1)
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("state")).to_have_attribute("data-state", "submitted")
    expect(page.get_by_test_id("decide-section")).to_have_count(0)  # heads do not approve
    screenshot(page, "head-plan-submitted")
    sign_out(page)

    # the personnel officer approves it
    sign_in(page, live_server, "officer")
    page.wait_for_url(live_server.at("/"))
    page.goto(draft_url)
    page.fill("input[name=effective_on]", "01/11/2026")
    page.fill("input[name=approval_number]", "57/QĐ-SNV")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("state")).to_have_attribute("data-state", "approved")
    screenshot(page, "officer-plan-approved")
    sign_out(page)

    # the head places an unplaced person in the new position and assesses a competency
    sign_in(page, live_server, "head")
    page.wait_for_url(live_server.at("/"))
    page.goto(live_server.at("/staffing/"))
    page.get_by_role("link", name=head_division).click()
    expect(page.get_by_test_id("staffing-table")).to_contain_text("CCVC-05")
    unplaced = page.get_by_test_id("unplaced").locator("tr[data-employee]")
    before = unplaced.count()
    assert before > 0
    person = unplaced.first.get_attribute("data-employee")
    screenshot(page, "head-staffing-table")
    page.goto(live_server.at(f"/staffing/employees/{person}/place"))
    choose(page, "select[name=position_id]", "CCVC-05")
    page.fill("input[name=number]", "312/QĐ-SNV")
    page.fill("input[name=signed_on]", "25/10/2026")
    page.fill("input[name=effective_on]", "01/11/2026")
    page.fill("input[name=issuer]", "Giám đốc Sở Nội vụ tỉnh Ninh Bình")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.at(f"/staffing/employees/{person}"))
    expect(page.get_by_test_id("placements")).to_contain_text("CCVC-05")
    form = page.get_by_test_id("assessment-form-head")
    first_competency = form.locator(
        "select[name=competency_id] option[value]:not([value=''])"
    ).first
    form.locator("select[name=competency_id]").select_option(
        first_competency.get_attribute("value")
    )
    form.locator("select[name=level]").select_option("3")
    form.locator("input[name=assessed_on]").fill("20/11/2026")
    form.locator("textarea[name=evidence]").fill("Hồ sơ thẩm định tháng 11")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("assessment-history")).to_contain_text("Hồ sơ thẩm định tháng 11")
    screenshot(page, "head-person-assessed")
    page.goto(live_server.at("/staffing/"))
    page.get_by_role("link", name=head_division).click()
    assert page.get_by_test_id("unplaced").locator("tr[data-employee]").count() == before - 1
    sign_out(page)

    # scope: the other division's head sees neither the plan nor the staffing table
    sign_in(page, live_server, "head2")
    page.wait_for_url(live_server.at("/"))
    refused = page.goto(draft_url)
    assert refused is not None and refused.status == 404
    page.goto(live_server.at("/staffing/"))
    expect(page.get_by_test_id("staffing-units")).not_to_contain_text(head_division)
    sign_out(page)

    # staff see their own gaps, and no plan at all
    sign_in(page, live_server, "staff")
    page.wait_for_url(live_server.at("/"))
    mine = page.goto(live_server.at("/staffing/me"))
    assert mine is not None and mine.status == 200
    expect(page.get_by_test_id("gaps")).to_be_visible()
    screenshot(page, "staff-own-gaps")
    refused = page.goto(draft_url)
    assert refused is not None and refused.status == 403


# Issue 6: the review of the month, from the self-assessment to the result -------------------

HUNDRED = Decimal(100)


def _rounded(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _number(text: str) -> Decimal:
    """The first number of a cell: "12.5 văn bản" -> 12.5 (a Vietnamese "12,5" is read too)."""
    found = re.search(r"-?\d[\d.,]*", text)
    assert found, f"no number in {text!r}"
    written = found.group(0)
    if "," in written:
        written = written.replace(".", "").replace(",", ".")
    return Decimal(written)


def _as_shown(value: Decimal) -> str:
    """How the review page writes a computed percentage or point in Vietnamese: two decimals,
    a decimal comma (91,67)."""
    return f"{value:.2f}".replace(".", ",")


def _band(total: Decimal) -> str:
    """The band of a total (Nghị định 335/2025), as a pattern of its label ("hoàn thành
    nhiệm vụ" is not the end of "không hoàn thành nhiệm vụ"); the walk-through passes."""
    for least, name in ((90, "xuất sắc "), (70, "tốt "), (50, "")):
        if total >= least:
            return rf"(?<!không )hoàn thành {name}nhiệm vụ"
    raise AssertionError(f"the walk-through should reach a passing band, got {total}")


def _cell(row: Locator, index: int) -> str:
    return row.locator("td").nth(index).inner_text().strip()


def test_a_review_from_self_assessment_to_the_final_result(
    page: Page, live_server: LiveServer
) -> None:
    """Issue 6's walk-through: the demo staff member files her month, her head scores it and
    sees the numbers computed here by hand from what was typed, finalises it, and she reads the
    same result; the other division's head and staff cannot open it."""
    # the staff member follows the reminder on her home page to her open review
    sign_in(page, live_server, "staff")
    page.wait_for_url(live_server.at("/"))
    page.get_by_test_id("review-reminders").locator("[data-reminder=self_assess] a").click()
    page.wait_for_url(re.compile(r"/reviews/\d+$"))
    review_url = page.url
    opened_state = page.get_by_test_id("state").inner_text()
    # the plan as the head drew it: titles, assigned quantities and weights
    plan = page.get_by_test_id("plan-lines").locator("tbody tr")
    count = plan.count()
    assert count >= 2, "the demo plan needs two lines at least"
    titles = [_cell(plan.nth(i), 0) for i in range(count)]
    assigned = [_number(_cell(plan.nth(i), 2)) for i in range(count)]
    weights = [_number(_cell(plan.nth(i), 4)) for i in range(count)]
    assert sum(weights) == HUNDRED
    # delivered: half of line 0 (short), one more than assigned on line 1 (capped), the rest
    # exactly as assigned
    delivered = [assigned[0] / 2, assigned[1] + 1, *assigned[2:]]
    form = page.get_by_test_id("self-form")
    lines = form.get_by_test_id("self-lines").locator("tbody tr")
    assert lines.count() == count
    for i in range(count):
        line = lines.nth(i)
        line.locator("input[name$='-delivered_quantity']").fill(
            f"{delivered[i]:f}".replace(".", ",")
        )
        line.locator("input[name$='-delivered_on']").fill("20/11/2026")
        line.locator("textarea[name$='-evidence']").fill(
            f"https://vanban.ninhbinh.gov.vn/snv/2026-11/{i + 1}"
        )
    self_rows = form.get_by_test_id("self-points").locator("tr")
    assert self_rows.count() >= 1
    for i in range(self_rows.count()):
        row = self_rows.nth(i)
        most = _number(row.locator("th span").inner_text())
        row.locator("input[name$='-points']").fill(f"{most:f}")
    form.locator("textarea[name=self_note]").fill("Tháng 11 hoàn thành đủ, trừ một báo cáo.")
    screenshot(page, "review-staff-self-filled")
    form.get_by_test_id("submit-self").click()
    page.wait_for_url(review_url)
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("self-form")).to_have_count(0)
    expect(page.get_by_test_id("state")).not_to_have_text(opened_state)
    expect(page.get_by_test_id("result")).to_have_count(0)  # not hers to see before final
    shown_plan = page.get_by_test_id("plan-lines").locator("tbody tr")
    assert _number(_cell(shown_plan.nth(0), 5)) == delivered[0]
    assert _cell(shown_plan.nth(0), 6) == "20/11/2026"
    screenshot(page, "review-staff-submitted")
    submitted_state = page.get_by_test_id("state").inner_text()
    sign_out(page)

    # the head scores it: a return on line 0, two delays on line 1 (one excused)
    sign_in(page, live_server, "head")
    page.wait_for_url(live_server.at("/"))
    page.goto(review_url)
    expect(page.get_by_test_id("state")).to_have_text(submitted_state)
    returns = [1] + [0] * (count - 1)
    delays = [0, 2] + [0] * (count - 2)
    excused = [0, 1] + [0] * (count - 2)
    form = page.get_by_test_id("score-form")
    lines = form.get_by_test_id("score-lines").locator("tbody tr")
    assert lines.count() == count
    for i in range(count):
        line = lines.nth(i)
        assert _number(_cell(line, 2)) == delivered[i]
        line.locator("input[name$='-returns']").fill(str(returns[i]))
        line.locator("input[name$='-delays']").fill(str(delays[i]))
        line.locator("input[name$='-excused_delays']").fill(str(excused[i]))
        if excused[i]:
            line.locator("input[name$='-excuse_reason']").fill(
                "Chờ số liệu của Sở Tài chính (bão số 3)"
            )
    general_rows = form.get_by_test_id("general-points").locator("tbody tr")
    general: list[Decimal] = []
    for i in range(general_rows.count()):
        row = general_rows.nth(i)
        most = _number(row.locator("th span").inner_text())
        points = most - Decimal("1.5") if i == 0 else most  # typed with a decimal comma
        assert points >= 0
        general.append(points)
        row.locator("input[name$='-points']").fill(f"{points:f}".replace(".", ","))
    assert general
    screenshot(page, "review-head-scoring-filled")
    form.get_by_test_id("save-score").click()
    page.wait_for_url(review_url)
    expect(page.locator(".alert-success")).to_be_visible()

    # the numbers, by hand
    quantity = [
        min(_rounded(d / a * HUNDRED), HUNDRED) for d, a in zip(delivered, assigned, strict=True)
    ]
    quality = [max(HUNDRED - 25 * n, Decimal(0)) for n in returns]
    timeliness = [
        max(HUNDRED - 25 * (d - e), Decimal(0)) for d, e in zip(delays, excused, strict=True)
    ]
    combined = [
        _rounded((q + u + t) / 3) for q, u, t in zip(quantity, quality, timeliness, strict=True)
    ]
    assert (quantity[0], quantity[1]) == (Decimal(50), HUNDRED)
    assert (combined[0], combined[1]) == (Decimal(75), Decimal("91.67"))
    task_percent = _rounded(sum(w * c for w, c in zip(weights, combined, strict=True)) / HUNDRED)
    task_points = _rounded(70 * task_percent / HUNDRED)
    general_points = sum(general, Decimal(0))
    total = task_points + general_points
    band = _band(total)

    breakdown = page.get_by_test_id("breakdown").locator("tbody tr")
    assert breakdown.count() == count
    for i in range(count):
        row = breakdown.nth(i)
        assert _cell(row, 0) == titles[i]
        assert _number(_cell(row, 1)) == weights[i]
        assert _number(_cell(row, 2)) == assigned[i]
        assert _number(_cell(row, 3)) == delivered[i]
        assert _cell(row, 4) == str(returns[i])
        assert _cell(row, 5) == f"{delays[i]} ({excused[i]})"
        assert [_cell(row, k) for k in (6, 7, 8, 9)] == [
            _as_shown(quantity[i]),
            _as_shown(quality[i]),
            _as_shown(timeliness[i]),
            _as_shown(combined[i]),
        ], titles[i]
    subtotals = page.get_by_test_id("subtotals")

    def value(name: str) -> str:
        return subtotals.locator(f"[data-value={name}]").inner_text().strip()

    assert value("task_percent") == f"{_as_shown(task_percent)} %"
    assert value("task_points") == f"{_as_shown(task_points)} / 70"
    assert _number(value("general_points")) == general_points
    assert value("total") == _as_shown(total)
    assert re.search(band, value("band"), re.IGNORECASE), value("band")
    assert value("rating") == value("band")
    screenshot(page, "review-head-scored")

    # the head finalises it
    page.get_by_test_id("finalise").click()
    page.wait_for_url(review_url)
    expect(page.get_by_test_id("finalise-form")).to_have_count(0)
    expect(page.get_by_test_id("score-form")).to_have_count(0)
    expect(page.get_by_test_id("state")).to_have_class(re.compile("text-bg-success"))
    screenshot(page, "review-head-finalised")
    final_state = page.get_by_test_id("state").inner_text()
    sign_out(page)

    # she reads the result and the same total
    sign_in(page, live_server, "staff")
    page.wait_for_url(live_server.at("/"))
    page.goto(live_server.at("/reviews/mine"))
    page.locator(f"[data-testid=my-reviews] a[href='{review_url[len(live_server.url) :]}']").click()
    page.wait_for_url(review_url)
    expect(page.get_by_test_id("state")).to_have_text(final_state)
    expect(page.get_by_test_id("result")).to_be_visible()
    assert page.get_by_test_id("subtotals").locator("[data-value=total]").inner_text() == (
        _as_shown(total)
    )
    expect(page.get_by_test_id("final-rating")).to_contain_text(re.compile(band, re.IGNORECASE))
    expect(page.get_by_test_id("self-form")).to_have_count(0)
    expect(page.get_by_test_id("score-form")).to_have_count(0)
    screenshot(page, "review-staff-result")
    sign_out(page)

    # neither the other division's head nor its staff member know of it
    for outsider in ("head2", "staff2"):
        sign_in(page, live_server, outsider)
        page.wait_for_url(live_server.at("/"))
        refused = page.goto(review_url)
        assert refused is not None and refused.status == 404, outsider
        expect(page.get_by_test_id("breakdown")).to_have_count(0)
        sign_out(page)
