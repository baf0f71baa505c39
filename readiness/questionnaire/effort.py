"""How long each role's part takes, estimated from the definition so it cannot drift from it.

Per item: reading a question and its five level descriptors (60-100 words at about 200
words a minute) and choosing takes about 30 seconds; a yes/partly/no question about 15; a
figure about 30 (it may need looking up); a free-text answer about a minute. One more
minute covers the introduction and saving. These are reading-speed estimates, not
measurements; the seconds per type are set here and shown on the method page.
"""
from __future__ import annotations

from math import ceil

from .schema import ItemType, Questionnaire

SECONDS_PER_ITEM = {ItemType.LEVEL: 30, ItemType.YES_NO: 15, ItemType.NUMBER: 30, ItemType.TEXT: 60}
OVERHEAD_SECONDS = 60


def minutes_for_role(questionnaire: Questionnaire, role: str) -> int:
    """:return: the estimated minutes for ``role``'s part, rounded up."""
    seconds = sum(SECONDS_PER_ITEM[item.type] for item in questionnaire.items_for_role(role))
    return ceil((seconds + OVERHEAD_SECONDS) / 60)
