"""Views' side of the one-use form token: a creating form sent twice is carried out once.

A view that creates calls :func:`spend` after validating the form and before writing, and
:func:`lead_to` with the page it redirects to before committing::

    if (earlier := once.spend(form)) is not None:
        return earlier
    ...create...
    url = once.lead_to(url_for(...))
    db.session.commit()
    return redirect(url)
"""
from __future__ import annotations

from flask import flash, g, redirect
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from readiness.extensions import db
from readiness.forms.once import OnceForm
from readiness.services import form_tokens


def spend(form: OnceForm) -> ResponseReturnValue | None:
    """Spend the form's token; :return: the redirect to the first post's result when it was spent already."""
    spent = form_tokens.spend(g.user, form.once.data)
    if isinstance(spent, str):
        db.session.rollback()
        flash(_("This form was sent twice; it was carried out once. Here is the result."), "warning")
        return redirect(spent)
    g.spent_form_token = spent
    return None


def lead_to(url: str) -> str:
    """Record ``url`` as where this form's token leads; :return: ``url``."""
    form_tokens.lead_to(g.get("spent_form_token"), url)
    return url
