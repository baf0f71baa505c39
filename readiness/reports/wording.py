"""The report's own sentences in English and French.

``build_report`` is pure and renders for any reader's language without a request, so, like
``readiness.domain.explain``, its words are kept as ``{"en": ..., "fr": ...}`` dicts here
rather than in the web interface's gettext catalogue.
"""
from __future__ import annotations

ASSESSMENT_STATUSES = {
    "draft": {"en": "Draft", "fr": "Brouillon"},
    "collecting": {"en": "Collecting answers", "fr": "Collecte des réponses"},
    "closed": {"en": "Closed, awaiting decision", "fr": "Clôturée, en attente de décision"},
    "decided": {"en": "Decided", "fr": "Décidée"},
}
ACTION_STATUSES = {
    "open": {"en": "Open", "fr": "Ouverte"},
    "in_progress": {"en": "In progress", "fr": "En cours"},
    "done": {"en": "Done", "fr": "Terminée"},
    "dropped": {"en": "Dropped", "fr": "Abandonnée"},
}
CHARTER_LEVELS = {
    "blocking": {"en": "Blocking", "fr": "Bloquant"},
    "condition": {"en": "Condition", "fr": "Condition"},
    "advisory": {"en": "Advisory", "fr": "Recommandation"},
}

SENTENCES = {
    "above_go": {
        "en": "{dimension}: {score}, {margin} above the go threshold of {go}.",
        "fr": "{dimension} : {score}, {margin} au-dessus du seuil de go de {go}.",
    },
    "at_go": {
        "en": "{dimension}: {score}, exactly at the go threshold of {go}.",
        "fr": "{dimension} : {score}, exactement au seuil de go de {go}.",
    },
    "below_go": {
        "en": "{dimension}: {score}, {margin} below the go threshold of {go}.",
        "fr": "{dimension} : {score}, {margin} sous le seuil de go de {go}.",
    },
    "just_below_go": {
        "en": "{dimension}: {score} once rounded, but just below the go threshold of {go}.",
        "fr": "{dimension} : {score} une fois arrondi, mais juste sous le seuil de go de {go}.",
    },
    "below_floor": {
        "en": "{dimension}: {score}, {margin} below the go threshold of {go} and under the floor of {floor}.",
        "fr": "{dimension} : {score}, {margin} sous le seuil de go de {go} et sous le plancher de {floor}.",
    },
    "no_score": {
        "en": "{dimension}: no score yet (no applicable question answered).",
        "fr": "{dimension} : pas encore de score (aucune question applicable n'a de réponse).",
    },
    "rule_fired": {
        "en": "Rule “{rule}” applied because {condition}.",
        "fr": "La règle « {rule} » s'applique car {condition}.",
    },
    "preview": {
        "en": "Preview, not final: answers are still being collected, so these figures will change.",
        "fr": "Aperçu, non définitif : les réponses sont encore en cours de collecte, ces chiffres vont changer.",
    },
    "snapshot": {
        "en": "Frozen result computed when the assessment closed on {date}.",
        "fr": "Résultat figé, calculé à la clôture de l'évaluation le {date}.",
    },
    "override": {
        "en": "This decision differs from the recommendation (“{recommended}”).",
        "fr": "Cette décision diffère de la recommandation (« {recommended} »).",
    },
    "by_role": {"en": "By role: {scores}.", "fr": "Par rôle : {scores}."},
    "lowest_items": {"en": "Lowest-scoring questions: {items}.", "fr": "Questions les plus faibles : {items}."},
    "unknown_items": {"en": "“Don't know”: {items}.", "fr": "« Ne sait pas » : {items}."},
    "unanswered_items": {"en": "Not answered: {items}.", "fr": "Sans réponse : {items}."},
    "band_source": {"en": "Band source: {source}.", "fr": "Source du barème : {source}."},
    "charter_theme": {"en": "Theme: {theme}; answered: {status}.", "fr": "Thème : {theme} ; réponse : {status}."},
    "charter_items": {"en": "Items: {items}.", "fr": "Engagements : {items}."},
    "and_more": {"en": "and {count} more", "fr": "et {count} autre(s)"},
    "critical_status": {"en": "Minimum level {min_level}; now: {status}.", "fr": "Niveau minimum {min_level} ; actuellement : {status}."},
    "golive_action": {"en": "Before go-live: {title}", "fr": "Avant la mise en service : {title}"},
    "action_from_flag": {"en": "Resolve: {message}", "fr": "Résoudre : {message}"},
    # The answer first.
    "no_decision_yet": {
        "en": "No decision yet.",
        "fr": "Pas encore de décision.",
    },
    "decided": {"en": "Decision: {outcome}, by {name} on {date}.", "fr": "Décision : {outcome}, par {name} le {date}."},
    "more_things": {
        "en": "{count} more, by importance, in the “Flags” section.",
        "fr": "{count} de plus, par importance, dans la section « Alertes ».",
    },
    "way_found": {
        "en": "{changes} would give “{target}” (checked by scoring the answers again with exactly these changes).",
        "fr": "{changes} donneraient « {target} » (vérifié en recalculant le résultat avec exactement ces changements).",
    },
    "way_not_found": {
        "en": "No set of answer changes we tried reaches “{target}”: the flags below say what stands in the way.",
        "fr": "Aucun ensemble de changements de réponses essayé n'atteint « {target} » : les alertes ci-dessous disent ce qui bloque.",
    },
    "way_charters": {"en": "{count} charter commitment(s) met", "fr": "{count} engagement(s) de la charte respecté(s)"},
    "way_items": {"en": "{count} question(s) at a higher level", "fr": "{count} question(s) à un niveau plus élevé"},
    "way_figures": {"en": "{count} figure(s) in a better band", "fr": "{count} chiffre(s) dans une meilleure tranche"},
    "and": {"en": "and", "fr": "et"},
    "way_charter": {"en": "Charter: “{text}” met.", "fr": "Charte : « {text} » respecté."},
    "way_item": {
        "en": "“{text}”: level {level} or above from everyone asked.",
        "fr": "« {text} » : niveau {level} ou plus pour chaque personne interrogée.",
    },
    "way_figure": {"en": "{label}: {value} {unit} (level {level}).", "fr": "{label} : {value} {unit} (niveau {level})."},
    # What people said.
    "masked": {"en": "[Masked by the delegation: it identified someone.]",
               "fr": "[Masqué par la délégation : le texte identifiait quelqu'un.]"},
    "withheld_words": {
        "en": "{roles}: fewer than {minimum} people answered, so their own scores and words are not shown by role (their answers count in the overall result).",
        "fr": "{roles} : moins de {minimum} personnes ont répondu, leurs scores et leurs mots ne sont donc pas montrés par rôle (leurs réponses comptent dans le résultat d'ensemble).",
    },
    "kind_answer": {"en": "answer", "fr": "réponse"},
    "kind_comment": {"en": "comment", "fr": "commentaire"},
    "about_condition": {"en": "A condition of the decision", "fr": "Une condition de la décision"},
    "waiting_coverage": {"en": "{answered} of the questions that apply are answered; a verdict needs at least {needed}.",
                         "fr": "{answered} des questions applicables ont une réponse ; un avis en demande au moins {needed}."},
    "waiting_not_heard": {"en": "Not heard yet: {roles}.", "fr": "Pas encore entendus : {roles}."},
    "waiting_unfinished": {"en": "{role}: {count} of the {invited} invited have not sent their answers yet.",
                           "fr": "{role} : {count} des {invited} personnes invitées n'ont pas encore envoyé leurs réponses."},
    "waiting_nobody_invited": {"en": "{role}: nobody invited yet.", "fr": "{role} : personne n'est encore invité."},
    "action_target": {"en": "Target: question {item} at level {level} or above",
                      "fr": "Cible : question {item} au niveau {level} ou plus"},
}

METHOD = {
    "en": [
        "Each question has five described levels (0–4). Role answers are averaged within each role first, then across roles, so each role has an equal voice.",
        "A dimension score is the weighted mean of its answered questions on a 0–100 scale. “Don't know” and “not applicable” are never counted as 0: they leave the average, and “don't know” lowers coverage.",
        "Critical questions and blocking charter commitments act as gates: below their minimum, the recommendation cannot be go.",
        "Decision rules from the questionnaire file are tried in order; the first that matches gives the recommendation. The recommendation advises; the decision is recorded by an accountable person.",
    ],
    "fr": [
        "Chaque question a cinq niveaux décrits (0 à 4). Les réponses sont d'abord moyennées par rôle, puis entre les rôles : chaque rôle pèse autant.",
        "Le score d'une dimension est la moyenne pondérée de ses questions renseignées, sur une échelle de 0 à 100. « Ne sait pas » et « sans objet » ne comptent jamais comme 0 : ils sortent de la moyenne, et « ne sait pas » réduit la couverture.",
        "Les questions critiques et les engagements bloquants de la charte servent de verrous : sous leur minimum, la recommandation ne peut pas être go.",
        "Les règles de décision du questionnaire sont essayées dans l'ordre ; la première qui s'applique donne la recommandation. La recommandation conseille ; la décision est enregistrée par une personne responsable.",
    ],
}
