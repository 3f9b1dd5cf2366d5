"""The scoring of reviews, on worked examples computed by hand (issue 6)."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from hrms.core.errors import ValidationFailed
from hrms.reviews.scheme import Method, PeriodKind, Rating, SchemeRules, parse_rules
from hrms.reviews.scoring import (
    OutputResult,
    ScoringError,
    annual_criteria,
    annual_points,
    check_cap,
    score,
    score_output,
    unit_result,
)

SHIPPED = Path(__file__).resolve().parents[2] / "hrms" / "reviews" / "data" / "schemes.json"


def shipped(code: str) -> dict[str, Any]:
    schemes = json.loads(SHIPPED.read_text())["schemes"]
    return next(s for s in schemes if s["code"] == code)


@pytest.fixture
def nd335() -> SchemeRules:
    return parse_rules(shipped("ND335-2025")["rules"])


@pytest.fixture
def nd90() -> SchemeRules:
    return parse_rules(shipped("ND90-2020")["rules"])


GENERAL = {"politics": D("9"), "capacity": D("8.5"), "innovation": D("7")}
#: a month of three outputs: a return, a delay of which one excused, an over-delivery
MONTH = [
    OutputResult("Thẩm định hồ sơ nâng lương", D(50), D(10), D(10), returns=1),
    OutputResult("Báo cáo thống kê", D(30), D(4), D(3), delays=2, excused_delays=1),
    OutputResult("Trả lời văn bản", D(20), D(2), D(3)),
]


def test_the_shipped_schemes_read_as_the_decrees_say(nd335: SchemeRules, nd90: SchemeRules) -> None:
    assert nd335.method is Method.POINTS and nd335.period is PeriodKind.MONTH
    assert nd335.general_max == D(30) and nd335.outputs is not None
    assert nd335.outputs.max_points == D(70) and nd335.total_max == D(100)
    assert [(b.rating, b.min_points) for b in nd335.bands] == [
        (Rating.EXCELLENT, D(90)),
        (Rating.GOOD, D(70)),
        (Rating.COMPLETE, D(50)),
        (Rating.INCOMPLETE, D(0)),
    ]
    assert nd335.cap is not None and nd335.cap.percent == D(20)
    assert nd335.annual_deadline == (12, 15)
    assert nd90.method is Method.CRITERIA and nd90.attendance is not None
    assert nd90.attendance.min_months_worked == 6 and nd90.attendance.absence_cap is Rating.COMPLETE


def test_each_output_line_by_line(nd335: SchemeRules) -> None:
    returned, late, over = (score_output(nd335, item) for item in MONTH)
    # quality 100 − 25 × 1 return; combined (100 + 75 + 100) / 3
    assert (returned.quantity, returned.quality, returned.timeliness) == (D(100), D(75), D(100))
    assert returned.combined == D("91.67")
    # 3 of 4 delivered; two delays, one excused: 100 − 25 × 1
    assert (late.quantity, late.quality, late.timeliness) == (D(75), D(100), D(75))
    assert late.combined == D("83.33") and late.counted_delays == 1
    # 3 of 2 delivered counts as 100 %, not 150 %
    assert over.quantity == D(100) and over.combined == D(100)


def test_a_month_scored_by_hand(nd335: SchemeRules) -> None:
    result = score(nd335, MONTH, GENERAL)
    # (50 × 91.67 + 30 × 83.33 + 20 × 100) / 100 = 90.834
    assert result.outputs_percent == D("90.83") and result.task_percent == D("90.83")
    assert result.task_points == D("63.58")  # 70 × 90.83 %
    assert result.general_points == D("24.5")
    assert result.total == D("88.08")
    assert result.band is Rating.GOOD and result.rating is Rating.GOOD and result.reasons == ()


def test_discipline_rates_incomplete_whatever_the_score(nd335: SchemeRules) -> None:
    result = score(nd335, MONTH, GENERAL, disciplined=True)
    assert result.total == D("88.08") and result.band is Rating.GOOD
    assert result.rating is Rating.INCOMPLETE and result.reasons == ("discipline",)


def test_a_head_counts_the_units_results(nd335: SchemeRules) -> None:
    assert unit_result(nd335, [Rating.GOOD, Rating.COMPLETE]) == D(100)
    failing = unit_result(nd335, [Rating.GOOD, Rating.INCOMPLETE])
    assert failing == D(50)
    result = score(nd335, MONTH, GENERAL, unit_percent=failing)
    # 70 % own outputs, 30 % unit: (90.83 × 70 + 50 × 30) / 100 = 78.581
    assert result.task_percent == D("78.58") and result.task_points == D("55.01")
    assert result.total == D("79.51") and result.rating is Rating.GOOD


def test_penalties_stop_at_zero_and_the_band_edges(nd335: SchemeRules) -> None:
    botched = score_output(nd335, OutputResult("x", D(100), D(1), D(1), returns=5, delays=6))
    assert (botched.quality, botched.timeliness) == (D(0), D(0))
    perfect = [OutputResult("x", D(100), D(5), D(5))]
    full = {"politics": D(10), "capacity": D(10), "innovation": D(10)}
    assert score(nd335, perfect, full).total == D(100)
    at_edge = score(nd335, perfect, {**full, "innovation": D(0)})
    assert at_edge.total == D(90) and at_edge.rating is Rating.EXCELLENT
    below = score(nd335, perfect, {**full, "innovation": D(0), "politics": D("9.99")})
    assert below.total == D("89.99") and below.rating is Rating.GOOD
    nothing = score(nd335, [OutputResult("x", D(100), D(5), D(0), returns=4, delays=4)], full)
    assert nothing.total == D(30) and nothing.rating is Rating.INCOMPLETE


@pytest.mark.parametrize(
    ("items", "general", "message"),
    [
        ([OutputResult("x", D(60), D(1), D(1))], GENERAL, "add up to 100"),
        (
            [OutputResult("x", D(120), D(1), D(1)), OutputResult("y", D(-20), D(1), D(1))],
            GENERAL,
            "positive",
        ),
        ([OutputResult("x", D(100), D(0), D(1))], GENERAL, "assigned quantity"),
        ([OutputResult("x", D(100), D(1), D(-1))], GENERAL, "negative"),
        ([OutputResult("x", D(100), D(1), D(1), delays=1, excused_delays=2)], GENERAL, "excused"),
        ([OutputResult("x", D(100), D(1), D(1))], {**GENERAL, "politics": D(11)}, "0 to 10"),
        ([OutputResult("x", D(100), D(1), D(1))], {"politics": D(1)}, "0 to 10"),
        ([OutputResult("x", D(100), D(1), D(1))], {**GENERAL, "extra": D(1)}, "not in the"),
        ([], GENERAL, "no item"),
    ],
)
def test_numbers_the_scheme_cannot_score_are_refused(
    nd335: SchemeRules, items: list[OutputResult], general: dict[str, D], message: str
) -> None:
    with pytest.raises(ScoringError, match=message):
        score(nd335, items, general)


def test_a_criteria_scheme_is_not_scored_in_points(nd90: SchemeRules) -> None:
    with pytest.raises(ScoringError, match="not scored in points"):
        score(nd90, MONTH, GENERAL)


def test_the_annual_rating_averages_the_periods(nd335: SchemeRules) -> None:
    year = annual_points(nd335, [D("88.08"), D(92), D(90)])
    assert year.average == D("90.03") and year.periods == 3 and year.rating is Rating.EXCELLENT
    punished = annual_points(nd335, [D("88.08"), D(92), D(90)], disciplined=True)
    assert punished.rating is Rating.INCOMPLETE and punished.reasons == ("discipline",)
    with pytest.raises(ScoringError):
        annual_points(nd335, [])


def test_the_criteria_rules_of_decree_90(nd90: SchemeRules) -> None:
    decided = Rating.EXCELLENT
    assert annual_criteria(nd90, decided, months_worked=12).rating is Rating.EXCELLENT
    short = annual_criteria(nd90, decided, months_worked=5)
    assert short.rating is None and short.reasons == ("worked_too_little",)
    assert annual_criteria(nd90, decided, months_worked=5, maternity=True).rating is decided
    absent = annual_criteria(nd90, decided, months_worked=8, months_absent=4)
    assert absent.rating is Rating.COMPLETE and absent.reasons == ("absence",)
    # the absence cap never raises a worse decision
    low = annual_criteria(nd90, Rating.INCOMPLETE, months_worked=8, months_absent=4)
    assert low.rating is Rating.INCOMPLETE and low.reasons == ()
    both = annual_criteria(nd90, decided, months_worked=8, months_absent=4, disciplined=True)
    assert both.rating is Rating.INCOMPLETE and both.reasons == ("absence", "discipline")


def test_the_cap_on_the_top_rating_says_by_how_much_it_is_over(nd335: SchemeRules) -> None:
    assert nd335.cap is not None
    over = check_cap(nd335.cap, [Rating.GOOD] * 7 + [Rating.EXCELLENT] * 2 + [Rating.COMPLETE])
    assert (over.counted, over.allowed, over.rated, over.excess) == (7, 1, 2, 1)
    assert check_cap(nd335.cap, [Rating.GOOD] * 10 + [Rating.EXCELLENT] * 2).excess == 0
    assert check_cap(nd335.cap, [Rating.GOOD] * 4 + [Rating.EXCELLENT]).excess == 1


def test_incoherent_rule_data_is_refused() -> None:
    rules = shipped("ND335-2025")["rules"]
    without_band = {**rules, "bands": rules["bands"][:3]}
    with pytest.raises(ValidationFailed) as refused:
        parse_rules(without_band)
    assert "bands" in refused.value.errors
    upside_down = {
        **rules,
        "bands": [{**band, "min_points": str(10 * i)} for i, band in enumerate(rules["bands"])],
    }
    with pytest.raises(ValidationFailed):
        parse_rules(upside_down)
    with pytest.raises(ValidationFailed) as refused:
        parse_rules({**rules, "outputs": {**rules["outputs"], "return_penalty": "125"}})
    assert "outputs" in refused.value.errors
    criteria = shipped("ND90-2020")["rules"]
    with pytest.raises(ValidationFailed):
        parse_rules({**criteria, "bands": rules["bands"]})
    with pytest.raises(ValidationFailed):
        parse_rules({**rules, "annual_deadline": "15-12"})
