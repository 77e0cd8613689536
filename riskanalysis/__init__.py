"""Risk analysis: `assess(facts) -> Decision` for every AReq, registered card or not."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from riskanalysis.decision import Decision
    from riskanalysis.facts import Facts


def assess(facts: Facts) -> Decision:
    """Decide frictionless, challenge or reject for one authentication."""
    from riskanalysis.service import assess_with_settings

    return assess_with_settings(facts)
