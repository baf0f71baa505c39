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
        "en": "{dimension}: {score}, {margin} points above the go threshold of {go}.",
        "fr": "{dimension} : {score}, {margin} points au-dessus du seuil de go de {go}.",
    },
    "at_go": {
        "en": "{dimension}: {score}, exactly at the go threshold of {go}.",
        "fr": "{dimension} : {score}, exactement au seuil de go de {go}.",
    },
    "below_go": {
        "en": "{dimension}: {score}, {margin} points below the go threshold of {go}.",
        "fr": "{dimension} : {score}, {margin} points sous le seuil de go de {go}.",
    },
    "below_floor": {
        "en": "{dimension}: {score}, {margin} points below the go threshold of {go} and under the floor of {floor}.",
        "fr": "{dimension} : {score}, {margin} points sous le seuil de go de {go} et sous le plancher de {floor}.",
    },
    "no_score": {
        "en": "{dimension}: no score yet (no applicable question answered).",
        "fr": "{dimension} : pas encore de score (aucune question applicable n'a de réponse).",
    },
    "rule_fired": {
        "en": "Rule “{rule}” applied because {condition}.",
        "fr": "La règle « {rule} » s'applique car {condition}.",
    },
    "stable": {
        "en": "The recommendation is stable: it would be the same if every “don't know” were answered at the lowest or the highest level.",
        "fr": "La recommandation est stable : elle serait la même si chaque « ne sait pas » recevait le niveau le plus bas ou le plus haut.",
    },
    "no_unknowns": {
        "en": "No question was answered “don't know”, so unknown answers cannot change the recommendation.",
        "fr": "Aucune question n'a reçu « ne sait pas » : des réponses inconnues ne peuvent pas changer la recommandation.",
    },
    "fragile": {
        "en": "The recommendation could change: with every “don't know” at the lowest level it would be “{low}”, at the highest “{high}”.",
        "fr": "La recommandation pourrait changer : avec chaque « ne sait pas » au plus bas elle serait « {low} », au plus haut « {high} ».",
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
    "action_from_flag": {"en": "Resolve: {message}", "fr": "Résoudre : {message}"},
    "about_condition": {"en": "A condition of the decision", "fr": "Une condition de la décision"},
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
