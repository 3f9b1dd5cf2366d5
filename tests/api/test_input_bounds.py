"""Regressions found by the property-based run (test_property_based.py): input the document does
not allow is a 4xx with the error envelope, never a 500 or a silent 200; the document describes
what the API really writes."""

from __future__ import annotations

from decimal import Decimal

from marshmallow import Schema, fields

from hrms.api.openapi import _json_numbers, _schema_name
from tests.conftest import issue_token

HUGE = "99999999999999999999999"


def call(client, world, role: str, method: str, url: str, **kwargs):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {issue_token(world.users[role])}"}
    return client.open(url, method=method, headers=headers, **kwargs)


def test_a_path_id_no_row_can_have_is_absent(client, world) -> None:  # type: ignore[no-untyped-def]
    for url in (f"/api/v1/units/{HUGE}", f"/api/v1/employees/{HUGE}", "/api/v1/units/2147483648"):
        response = call(client, world, "officer", "GET", url)
        assert response.status_code == 404, url
        assert response.get_json()["error"]["code"] == "not_found"
    assert (
        call(client, world, "officer", "GET", f"/api/v1/units/{world.department.id}").status_code
        == 200
    )


def test_the_pages_answer_such_an_id_with_not_found_too(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    for url in (f"/employees/{HUGE}", f"/units/{HUGE}"):
        page = client.get(url)
        assert page.status_code == 404 and page.mimetype == "text/html", url


def test_a_whole_number_beyond_the_database_is_a_validation_error(client, world) -> None:  # type: ignore[no-untyped-def]
    listed = call(client, world, "officer", "GET", f"/api/v1/employees?unit_id={HUGE}")
    assert listed.status_code == 422
    assert list(listed.get_json()["error"]["fields"]) == ["unit_id"]

    created = call(
        client, world, "officer", "POST", "/api/v1/employees", json={"unit_id": int(HUGE)}
    )
    assert created.status_code == 422 and "unit_id" in created.get_json()["error"]["fields"]

    url = f"/api/v1/employees/{world.own.id}"
    before = call(client, world, "officer", "GET", url).get_json()
    patched = call(
        client, world, "officer", "PATCH", url, json={"version": 2**40, "other_names": "Tâm"}
    )
    assert patched.status_code == 422
    assert list(patched.get_json()["error"]["fields"]) == ["version"]
    assert call(client, world, "officer", "GET", url).get_json() == before


def test_unknown_or_repeated_query_parameters_are_refused(client, world) -> None:  # type: ignore[no-untyped-def]
    unknown = call(client, world, "officer", "GET", "/api/v1/units?pgae=2")
    assert unknown.status_code == 422
    assert unknown.get_json()["error"]["fields"] == {
        "pgae": ["Trường dữ liệu này không được chấp nhận."]
    }

    repeated = call(client, world, "officer", "GET", "/api/v1/units?per_page=5&per_page=500")
    assert repeated.status_code == 422
    assert list(repeated.get_json()["error"]["fields"]) == ["per_page"]

    fine = call(client, world, "officer", "GET", "/api/v1/units?per_page=5&page=1")
    assert fine.status_code == 200 and fine.get_json()["per_page"] == 5


def test_an_empty_query_parameter_is_no_filter_and_documented_so(client, world) -> None:  # type: ignore[no-untyped-def]
    everyone = call(client, world, "officer", "GET", "/api/v1/employees").get_json()
    blank = call(client, world, "officer", "GET", "/api/v1/employees?q=&unit_id=&kind=&status=")
    assert blank.status_code == 200 and blank.get_json() == everyone
    spec = client.get("/api/v1/openapi.json").get_json()
    kind = next(p for p in spec["paths"]["/employees"]["get"]["parameters"] if p["name"] == "kind")
    assert kind["in"] == "query" and kind["allowEmptyValue"] is True


def test_the_document_describes_decimals_as_they_are_written(client, world) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/api/v1/openapi.json").get_json()
    coefficient = spec["components"]["schemas"]["EmployeeSensitiveOut"]["properties"][
        "salary_coefficient"
    ]
    assert coefficient["type"] == "string" and coefficient["format"] == "decimal"
    version = spec["components"]["schemas"]["EmployeePatch"]["properties"]["version"]
    assert (version["minimum"], version["maximum"]) == (-(2**31), 2**31 - 1)
    # a decimal field's default is a JSON number, not the string the JSON encoder would write
    assert _json_numbers({"default": Decimal("1.00"), "x": [Decimal("0.5")]}) == {
        "default": 1,
        "x": [0.5],
    }


def test_a_narrowed_view_of_a_schema_is_written_inline() -> None:
    class ThingOut(Schema):
        id = fields.Integer()
        name = fields.String()

    assert _schema_name(ThingOut) == "ThingOut"
    assert _schema_name(ThingOut()) == "ThingOut"
    assert _schema_name(ThingOut(only=("id",))) is None
