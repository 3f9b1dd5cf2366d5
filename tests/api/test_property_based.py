"""Property-based run of the API against its own OpenAPI document (issue 3).

Schemathesis reads ``/api/v1/openapi.json`` from the app in-process and, for every documented
operation, generates requests that fit the document (positive) and requests that break it
(negative), as a personnel officer and as a staff member. Every answer must:

- never be a 5xx;
- carry a status the document lists for the operation, with the documented content type, and
  a body that fits the documented schema;
- for input that breaks the document, be a 4xx (never a 2xx that accepted it);
- for any 4xx, be JSON with the error envelope ``{"error": {"code", "message", "fields"}}``
  (never an HTML page).

The run is bounded and reproducible (``derandomize``, a few examples per operation; about 25 s
for both roles on SQLite or PostgreSQL) and stays inside the test's transaction, so the database
is left as it was. Path parameters that name records of the test world (employees, units, code
lists, the staff member's review and its period) are mostly pinned to real rows, so the
operations are exercised on data and not only on 404s; the test also checks that the main reads
did answer with a 2xx. ``SKIPPED_TAGS`` leaves operations out by OpenAPI tag (none are).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import World, issue_token
from tests.reviews.api_support import world_review

#: examples per operation and generation mode; small enough for CI (the whole test, both roles,
#: stays under a minute on SQLite and PostgreSQL), large enough to find 500s
MAX_EXAMPLES = 6
#: examples with made-up ids when real ones are pinned too (those mostly meet a 404)
MADE_UP_ID_EXAMPLES = 2
ROLES = ("officer", "staff")
#: operations each role must see succeed at least once (the run is not all refusals)
REACHED = {
    "officer": {
        "GET /units",
        "GET /units/{unit_id}",
        "GET /employees",
        "GET /employees/{employee_id}",
        "GET /employees/{employee_id}/decisions",
        "GET /employees/{employee_id}/audit",
        "GET /employees/{employee_id}/dossier.pdf",
        "GET /reviews/{review_id}",
        "GET /review-periods/{period_id}",
    },
    # a staff member sees their own dossier (world.own is among the pinned ids), not the units;
    # and their own review
    "staff": {
        "GET /codes/{list_name}",
        "GET /employees/{employee_id}",
        "GET /employees/{employee_id}/dossier.pdf",
        "GET /reviews/{review_id}",
    },
}

BOUNDED = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    # no shrinking: a failure is reported with the case that found it, and the run stays short
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    report_multiple_bugs=False,
)

#: tags of operations left out of the run (none: every documented operation is exercised)
SKIPPED_TAGS: frozenset[str] = frozenset()

POSITIVE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
NEGATIVE_CHECKS = [*POSITIVE_CHECKS, negative_data_rejection]


def _known_ids(world: World) -> dict[str, Callable[[], Any]]:
    """Values of path parameters that name real records of the test world."""
    return {
        "employee_id": lambda: st.sampled_from([world.own.id, world.in_team.id, world.in_b.id]),
        "unit_id": lambda: st.sampled_from([world.department.id, world.division_a.id]),
        "list_name": lambda: st.sampled_from(["ethnicity", "religion", "province"]),
        # the staff member's own review (self-assessment open) and its period of division A
        "review_id": lambda: st.just(world_review(world).id),
        "period_id": lambda: st.just(world_review(world).period_id),
    }


def _error_envelope(response: Any) -> str | None:
    """Why a 4xx answer is not the API's JSON error envelope (None when it is)."""
    if not 400 <= response.status_code < 500:
        return None
    headers = {name.lower(): value for name, value in response.headers.items()}
    content_type = headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    if not content_type.startswith("application/json"):
        return f"{response.status_code} answered with {content_type!r}, not JSON"
    try:
        body = response.json()
    except ValueError:
        return f"{response.status_code} answered with a body that is not JSON"
    error = body.get("error") if isinstance(body, dict) else None
    if (
        not isinstance(error, dict)
        or not isinstance(error.get("code"), str)
        or not isinstance(error.get("message"), str)
        or not isinstance(error.get("fields"), dict)
    ):
        return f"{response.status_code} answered without the error envelope: {body!r}"
    return None


def _strategies(operation: Any, world: World) -> list[tuple[str, Any, int]]:
    """(label, strategy, examples) for one operation: positive with real ids, positive,
    negative."""
    known = _known_ids(world)
    names = (
        [parameter.name for parameter in operation.path_parameters]
        if hasattr(operation, "path_parameters")
        else []
    )
    pinned = [name for name in names if name in known]
    strategies: list[tuple[str, Any, int]] = []
    if pinned:
        strategies.append(
            (
                "positive, real records",
                st.fixed_dictionaries({name: known[name]() for name in pinned}).flatmap(
                    lambda values: operation.as_strategy(
                        generation_mode=GenerationMode.POSITIVE, path_parameters=values
                    )
                ),
                MAX_EXAMPLES,
            )
        )
    strategies.append(
        (
            "positive",
            operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
            MADE_UP_ID_EXAMPLES if pinned else MAX_EXAMPLES,
        )
    )
    strategies.append(
        (
            "negative",
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
            MAX_EXAMPLES,
        )
    )
    return strategies


def _exercise(
    strategy: Any, checks: list[Any], bearer: Callable[[], str], examples: int, reached: set[str]
) -> Callable[[], None]:
    @settings(BOUNDED, max_examples=examples)
    @given(case=strategy)
    def exercise(case: Any) -> None:
        response = case.call_and_validate(
            headers={"Authorization": f"Bearer {bearer()}"}, checks=checks
        )
        if 200 <= response.status_code < 300:
            reached.add(case.operation.label)
        problem = _error_envelope(response)
        if problem:
            raise AssertionError(problem)

    return exercise


@functools.cache
def _schema(app: Any) -> Any:
    """The document, read once per test session (the app and its routes do not change)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    # the bearer token is ours to send (a missing or bad token is tests/api/test_tokens.py's
    # business); generated security headers would be overridden by it, and schemathesis would
    # then take a request that carried a good token for one that left it out
    schema.config.generation.update(with_security_parameters=False)
    return schema


def _run(app: Any, world: World, role: str, reached: set[str]) -> list[str]:
    """Failures of every documented operation; ``reached`` collects those answered with a 2xx."""
    schema = _schema(app)
    user = world.users[role]
    token = issue_token(user)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if set(operation.tags or ()) & SKIPPED_TAGS:
            continue
        revokes = operation.method.upper() == "DELETE" and operation.path == "/auth/tokens/current"
        # revoking spends the token: that operation gets a fresh one each time
        bearer = (lambda: issue_token(user)) if revokes else (lambda: token)
        for label, strategy, examples in _strategies(operation, world):
            checks = NEGATIVE_CHECKS if label == "negative" else POSITIVE_CHECKS
            try:
                _exercise(strategy, checks, bearer, examples, reached)()
            except Unsatisfiable:
                # nothing of the operation can be made invalid (no parameters and no body)
                if label != "negative":
                    raise
            except (AssertionError, BaseExceptionGroup) as error:
                # schemathesis reports its checks' failures as a FailureGroup (an exception group)
                failures.append(f"{role} {operation.label} [{label}]: {str(error)[:2000]}")
    return failures


@pytest.mark.parametrize("role", ROLES)
def test_the_api_keeps_to_its_document(app, world, role) -> None:  # type: ignore[no-untyped-def]
    # bounded by the number of examples, not by a clock (timed tests flake on busy machines)
    reached: set[str] = set()
    failures = _run(app, world, role, reached)
    assert not failures, f"{len(failures)} failing operations:\n\n" + "\n\n".join(failures)
    # the run did real work, not only 404s and 422s
    assert REACHED[role] <= reached, f"never a 2xx: {REACHED[role] - reached}; 2xx: {reached}"
