"""The whole API fuzzed from its OpenAPI schema (schemathesis), anonymously and as the bureau's admin.

Each operation gets a few generated requests (FANXING_FUZZ_EXAMPLES, 3 by default; seeded by
FANXING_FUZZ_SEED, so a run repeats) against a database with the personas and a record of each kind
(half the cases name those records in the path), through Django's WSGI handler in process. Every
response must be no server error, with a documented status code, content type and body schema.
Longer runs by hand: docs/api-fuzzing.md.
"""

import os
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from fanxing.accounts.services import api_token_create
from fanxing.api import api
from fanxing.competitions.models import Competition
from fanxing.core.review import DEFAULT_RUBRIC
from fanxing.deals.models import Lead
from fanxing.events.tests.factories import make_event
from fanxing.platforms.tests.base import make_platform
from fanxing.poc.tests.base import make_contract
from fanxing.reports.models import Indicator
from tests.base import make_achievement, make_demand, make_personas, make_profile

EXAMPLES = int(os.environ.get("FANXING_FUZZ_EXAMPLES", "3"))
SEED = int(os.environ.get("FANXING_FUZZ_SEED", "20261127"))
# Also schemathesis's coverage phase: boundary values and invalid input for each parameter (slower).
COVERAGE = os.environ.get("FANXING_FUZZ_COVERAGE", "0") == "1"
# A file each request's method, operation and status are appended to, to count what a run did.
LOG = os.environ.get("FANXING_FUZZ_LOG", "")
CHECKS: list[CheckFunction] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def fuzz_config() -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {
                "max-examples": EXAMPLES,
                "deterministic": True,
                "with-security-parameters": False,
            },
            "phases": {"stateful": {"enabled": False}, "coverage": {"enabled": COVERAGE}},
        }
    )


@pytest.fixture
def world(db: None) -> SimpleNamespace:
    """The personas, a record of each kind and an API token of the bureau's admin; KNOWN names the records
    for the path parameters."""
    w = SimpleNamespace()
    make_personas(w)
    w.achievement = make_achievement(w.qdu)
    w.demand = make_demand(w.haichuan)
    lead = Lead.objects.create(demand=w.demand, achievement=w.achievement, manager=w.manager)
    profile = make_profile(w.manager, ["marine.fishery"], "海洋渔业")
    today = timezone.localdate()
    competition = Competition.objects.create(
        title="创新创业大赛", year=today.year, organiser=w.qdu, rubric=DEFAULT_RUBRIC, opens_on=today,
        closes_on=today, status=Competition.Status.OPEN,
    )  # fmt: skip
    KNOWN.clear()
    KNOWN.update(
        organisation_id=w.qdu.pk,
        achievement_id=w.achievement.pk,
        demand_id=w.demand.pk,
        profile_id=profile.pk,
        lead_id=lead.pk,
        contract_id=make_contract(w.qdu).pk,
        competition_id=competition.pk,
        event_id=make_event(w.bureau).pk,
        platform_id=make_platform("海洋药物重点实验室", w.qdu).pk,
        code=Indicator.objects.order_by("code").values_list("code", flat=True).first(),
        year=today.year,
    )
    _, w.admin_key = api_token_create(user=w.bureau_admin, name="fuzz")
    return w


KNOWN: dict[str, Any] = {}


def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    """Half the cases name the world's records (their pages, not only 404s), half what was generated."""
    if not isinstance(path_parameters, dict):  # a negative case may have none
        return st.just(path_parameters)
    known = {key: KNOWN.get(key, value) for key, value in path_parameters.items()}
    return st.sampled_from([path_parameters, known])


@pytest.fixture(autouse=True)
def _keep_connection() -> Iterator[None]:
    """Django's handler closes the database connection after each request; the test's transaction needs it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def load_schema() -> Any:
    """The API's schema, with Django's WSGI handler as the app the requests go to (in process)."""
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=fuzz_config())
    schema.app = WSGIHandler()
    return schema


schema = load_schema()


def call_and_validate(case: Any, headers: dict[str, str] | None = None) -> None:
    response = case.call(headers=headers)
    if LOG:
        with open(LOG, "a", encoding="utf-8") as log:
            log.write(f"{case.method} {case.operation.path} {response.status_code}\n")
    case.validate_response(response, checks=CHECKS, headers=headers)


@schema.hooks.apply(flatmap_path_parameters)
@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_anonymous(case: Any, world: SimpleNamespace) -> None:
    call_and_validate(case)


@schema.hooks.apply(flatmap_path_parameters)
@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_bureau_admin(case: Any, world: SimpleNamespace) -> None:
    call_and_validate(case, headers={"Authorization": f"Bearer {world.admin_key}"})
