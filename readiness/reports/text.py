"""A plain-text rendering of a result, for the command line."""
from __future__ import annotations

from readiness.domain.explain import SEVERITIES, describe_flag, number, outcome_label, percent, rounded, text
from readiness.domain.headline import headline, robustness_sentence
from readiness.domain.result import Result
from readiness.i18n import N_, NC_
from readiness.questionnaire.schema import Charter, Questionnaire

_LABELS = (
    N_("Recommendation"),
    N_("Rule"),
    N_("Dimensions"),
    N_("score"),
    N_("coverage"),
    N_("margin"),
    N_("Overall"),
    N_("Flags"),
    N_("Action"),
    N_("Indicators"),
    N_("Robustness"),
    N_("stable"),
    N_("could change"),
    NC_("changes", "none"),
)


_COLON = N_("{label}:")  # French puts a narrow no-break space before the colon: "Alertes :"


def render_text(result: Result, questionnaire: Questionnaire, charter: Charter | None, lang: str = "en") -> str:
    def colon(label: str) -> str:
        return text(_COLON, lang).format(label=label)

    (recommendation, rule_label, dims, score, coverage, margin, overall, flags, action, indicators, robust,
     stable, changes, none) = (text(label, lang) for label in _LABELS)
    rec = result.recommendation
    rule = next(r for r in questionnaire.decision_rules if r.id == rec.rule_id)
    lines = [
        f"{colon(recommendation)} {outcome_label(rec.outcome, lang)}",
        headline(result, questionnaire, charter, lang),
        f"{colon(f'{rule_label} {rule.id}')} {text(rule.text, lang)}",
        "",
        colon(dims),
    ]
    for dim in questionnaire.dimensions:
        d = result.dimensions[dim.id]
        signed = "–" if d.score is None else f"{rounded(d.score) - d.go:+.0f}"
        lines.append(
            f"  {text(dim.label, lang):<48} {score} {number(d.score, lang=lang):>3}  {coverage} {percent(d.coverage, lang=lang):>5}  {margin} {signed}"
        )
    lines.append(f"  {overall:<48} {score} {number(result.overall_score, lang=lang):>3}  {coverage} {percent(result.overall_coverage, lang=lang):>5}")
    lines += ["", colon(flags) if result.flags else f"{colon(flags)} {none}"]
    for flag in result.flags:
        described = describe_flag(flag, questionnaire, charter, lang)
        lines.append(f"  [{text(SEVERITIES[flag.severity], lang)}] {described.message}")
        if described.action:
            lines.append(f"      {colon(action)} {described.action}")
    lines += ["", colon(indicators)]
    for ind in questionnaire.indicators:
        r = result.indicators[ind.id]
        level = "–" if r.level is None else f"{r.level}/4"
        lines.append(f"  {text(ind.label, lang):<48} {number(r.value, 1, lang=lang):>6} {text(ind.unit, lang)}  ({level})")
    if result.robustness is not None:
        verdict = stable if result.robustness.stable else changes
        lines += ["", f"{colon(robust)} {verdict}", f"  {robustness_sentence(result, questionnaire, charter, lang)}"]
    return "\n".join(lines)
