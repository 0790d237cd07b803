"""Writes of the proof-of-concept app: platforms, calls, applications, review, funding, milestones, outcomes.

Each one atomic, checked through `fanxing.accounts.permissions` (`by=None` is the platform: the CLI, a job),
validated with a ValidationError naming the field, and audited. The review arithmetic is `core.review`:
rubric totals, the conflict-of-interest test (with `managers.selectors.person_organisation_ids`), rankings.
The package's modules: `calls` (platforms, calls, applications), `review`, `funding` (decisions,
milestones, outcomes), `reminders`; the names other modules and the tests use are gathered here.
"""

from fanxing.poc.services.calls import (
    application_owners,
    application_submit,
    application_withdraw,
    call_move,
    call_open,
    call_save,
    platform_save,
)
from fanxing.poc.services.funding import (
    application_reject,
    funding_decide,
    milestone_accept,
    milestone_add,
    milestone_report,
    outcome_record,
    remaining_budget,
)
from fanxing.poc.services.reminders import poc_reminders
from fanxing.poc.services.review import (
    Result,
    assignment_replace,
    assignments_make,
    is_conflicted,
    replacements,
    results,
    review_submit,
)

__all__ = [
    "Result",
    "application_owners",
    "application_reject",
    "application_submit",
    "application_withdraw",
    "assignment_replace",
    "assignments_make",
    "call_move",
    "call_open",
    "call_save",
    "funding_decide",
    "is_conflicted",
    "milestone_accept",
    "milestone_add",
    "milestone_report",
    "outcome_record",
    "platform_save",
    "poc_reminders",
    "remaining_budget",
    "replacements",
    "results",
    "review_submit",
]
