# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Races of real transactions, for the rules that must hold when requests or
cron runs arrive at the same time.

A test of ``PmConcurrencyCase`` works as the workers of a server do: each step
runs in a transaction of its own, on a cursor of its own, retried on a
serialization failure and committed like a request (``odoo.service.model.retrying``),
or run once and committed like a scheduled job (``retry=False``: the cron worker
retries nothing, a serialization failure is a failed run); ``race`` starts
several such steps together on threads, released at once by a barrier. What a
test commits stays in the database, so each test removes what it made
(``purge_later``).
"""

import contextlib
import logging
import threading

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, get_db_name

from ..tools.write_guard import retention_purge

# what PostgreSQL answers the transaction that loses a race; Odoo logs the
# query, then retries the transaction (``retrying``)
RETRIED_ERRORS = ("could not serialize access", "deadlock detected")


def _not_retried(record):
    return not any(error in record.getMessage() for error in RETRIED_ERRORS)


@contextlib.contextmanager
def retried_queries_quiet():
    """Keep out of the log the queries of a race's losers, which the server
    retries: an error of the race is what its transactions raise."""
    logger = logging.getLogger("odoo.sql_db")
    logger.addFilter(_not_retried)
    try:
        yield
    finally:
        logger.removeFilter(_not_retried)


class PmConcurrencyCase(BaseCase):
    """Tests that race committed transactions on real cursors."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    def transaction(self, func, uid=SUPERUSER_ID, context=None, retry=True):
        """Run ``func(env)`` in a transaction of its own, as one request: retried
        on a serialization failure, then committed; with ``retry=False``, as a
        cron job: run once, committed unless it raised. Return plain values
        (ids, numbers), not records: the cursor is closed when this returns."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, uid, dict(context or {}))
            if retry:
                return retrying(lambda: func(env), env)
            try:
                result = func(env)
            except Exception:
                env.reset()
                raise
            cr.commit()  # pylint: disable=invalid-commit
            return result

    def race(
        self, func, count, uid=SUPERUSER_ID, context=None, timeout=120, retry=True
    ):
        """Start ``func(env, index)`` ``count`` times at once, each in its own
        transaction (see ``transaction``); return what each returned, or the
        exception it raised, in the order of the indexes."""
        barrier = threading.Barrier(count)
        results = [None] * count

        def run(index):
            try:
                barrier.wait(timeout)
                results[index] = self.transaction(
                    lambda env: func(env, index),
                    uid=uid,
                    context=context,
                    retry=retry,
                )
            except Exception as exc:  # pylint: disable=broad-except
                results[index] = exc

        threads = [
            threading.Thread(target=run, args=(index,), name=f"pm-race-{index}")
            for index in range(count)
        ]
        with retried_queries_quiet():
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout)
        self.assertFalse(
            [thread.name for thread in threads if thread.is_alive()],
            "a transaction of the race did not finish",
        )
        return results

    def purge_later(self, model, ids):
        """Delete these committed records when the test ends (kept records too,
        as the administrator's retention purge does)."""

        def purge(env):
            with retention_purge():
                env[model].browse(ids).exists().unlink()

        self.addCleanup(self.transaction, purge)

    def errors(self, results):
        """The exceptions among the results of a race."""
        return [result for result in results if isinstance(result, Exception)]
