"""Template globals: the reader's language and the domain's plain-language helpers."""
from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import get_locale

from readiness.domain import explain, policies
from readiness.domain.policies import can_manage_users
from readiness.questionnaire.effort import SECONDS_PER_ITEM, minutes_for_role

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})


def current_lang() -> str:
    return str(get_locale() or "en")


def translate(value: dict[str, str] | None) -> str:
    """Pick the reader's language from a definition-file text."""
    return explain.text(value, current_lang())


def register_template_helpers(app: Flask) -> None:
    from readiness.web.assets import plotly_js_url

    app.jinja_env.globals.update(
        get_locale=get_locale,
        plotly_js_url=plotly_js_url,
        t=translate,
        outcome_label=explain.outcome_label,
        describe_condition=explain.describe_condition,
        percent=explain.percent,
        band_ranges=explain.band_ranges,
        minutes_for_role=minutes_for_role,
        seconds={kind.value: value for kind, value in SECONDS_PER_ITEM.items()},
        rtl_languages=RTL_LANGUAGES,
        can_manage_users=can_manage_users,
    )

    @app.context_processor
    def _language() -> dict[str, Any]:
        return {"lang": current_lang()}
    # The report area: hide the decision and action-plan buttons from people who may not use them.
    app.jinja_env.globals.update(can_decide=policies.can_decide, can_edit_actions=policies.can_edit_actions,
                                 can_amend_decision=policies.can_amend_decision)
    # Headquarters area: the nav link.
    app.jinja_env.globals.update(is_headquarters=policies.is_headquarters)
    app.jinja_env.globals.update(can_list_delegations=policies.can_list_delegations)
    # The report's flags carry an id that generated actions link to.
    from readiness.reports.subjects import flag_anchor
    app.jinja_env.globals.update(flag_anchor=flag_anchor)
