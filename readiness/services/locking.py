"""One way to keep two people's writes apart: version checks and row locks.

Every editable record has a ``version_id`` that SQLAlchemy checks on each UPDATE
(``version_id_col``). A save based on an outdated version raises :class:`EditConflict`,
whether the editor's form said so (:func:`check_version`) or the database did
(``StaleDataError``, mapped to the same exception by the error handler).

A use case that reads before it writes (is the page's item still as shown? does a
proposal already exist?) first takes the lock of the record it hangs on (:func:`lock`),
so a double submit or a second device waits for the first and then sees what it wrote.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask_babel import gettext as _
from sqlalchemy import inspect, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from readiness.extensions import db

T = TypeVar("T")
ATTEMPTS = 3


class EditConflict(Exception):
    """Someone saved the record after the editor loaded it; nothing was changed.

    ``current`` is the record as saved now, when the caller has it.
    """

    def __init__(self, current: Any = None) -> None:
        super().__init__(_("Someone else saved this record while you were editing it."))
        self.current = current


def check_version(record: Any, shown: int | None) -> None:
    """Refuse a save made on a version other than the one stored.

    :param shown: the ``version_id`` the editor's form carried; ``None`` skips the check (commands).
    :raise EditConflict: the record changed since it was shown.
    """
    if shown is not None and shown != record.version_id:
        raise EditConflict(record)


def lock(record: Any, *, shared: bool = False) -> None:
    """Take the record's row lock for the rest of the transaction and reload it.

    PostgreSQL: ``SELECT ... FOR UPDATE`` (``FOR SHARE`` when ``shared``: others may read
    under the same lock, nobody may change the row); a concurrent holder is waited for,
    then its committed state is read. SQLite has no row locks: a no-op UPDATE takes the
    database's write lock instead, which serialises writers the same way.
    """
    db.session.flush()  # what this transaction already changed is kept, not reloaded away
    mapper = inspect(type(record))
    table = mapper.local_table
    (key,) = mapper.primary_key
    if db.session.get_bind().dialect.name == "sqlite":
        # Keep the onupdate columns (updated_at) as they are: taking a lock changes nothing.
        keep = {column.name: column for column in table.c if column.onupdate is not None}
        db.session.execute(update(table).where(key == getattr(record, key.key)).values({key.name: key, **keep}))
    db.session.refresh(record, with_for_update={"read": True} if shared else True)


def retrying(work: Callable[[], T]) -> T:
    """Run ``work`` in a savepoint, again when a concurrent save got there first.

    ``work`` must read what it compares against afresh each time: after another save
    inserted the same row (a unique key) or moved its version, the retry sees that save
    and its own conflict check decides (same value: nothing to do; another one: a conflict).
    :raise EditConflict: still racing after a few attempts.
    """
    for _attempt in range(ATTEMPTS):
        try:
            with db.session.begin_nested():
                return work()
        except (IntegrityError, StaleDataError):
            continue
    raise EditConflict()
