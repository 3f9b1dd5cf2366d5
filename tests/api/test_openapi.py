"""The OpenAPI document is valid, complete, and rendered as a readable page."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

from hrms.api.openapi import api_rules, undocumented_api_endpoints


def test_document_is_valid_openapi(client) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/api/v1/openapi.json").get_json()
    validate(spec)
    assert spec["openapi"].startswith("3.")


def test_every_api_route_is_documented(app, client) -> None:  # type: ignore[no-untyped-def]
    assert undocumented_api_endpoints(app) == []
    spec = client.get("/api/v1/openapi.json").get_json()
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    for rule in api_rules(app):
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            assert (path, method.lower()) in documented


def test_list_responses_describe_the_envelope(client) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/api/v1/openapi.json").get_json()
    schema = spec["paths"]["/units"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    assert schema["required"] == ["items", "total", "page", "per_page"]
    params = {p["name"] for p in spec["paths"]["/units"]["get"]["parameters"]}
    assert {"page", "per_page", "q", "include_closed"} <= params
    assert spec["paths"]["/units/{unit_id}"]["get"]["security"] == [{"bearer": []}]


def test_documentation_page(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "/auth/tokens" in page.text and "/units/{unit_id}" in page.text
    assert "<script>" not in page.text
