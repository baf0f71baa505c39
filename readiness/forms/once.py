"""The base of every form that creates something: it carries a one-use token."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField

from readiness.services.form_tokens import new_token


class OnceForm(FlaskForm):
    """A creating form; ``once`` is spent with its write (see ``readiness.services.form_tokens``)."""

    once = HiddenField(default=new_token)
