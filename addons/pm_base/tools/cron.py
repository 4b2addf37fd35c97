# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Scheduled jobs that two processes may start at the same time: a cron worker
and "Run Manually", or the workers of two servers.

- ``exclusive_run``: one run of a job at a time. The job takes a transaction-level
  advisory lock named after its model and method; a second run finds it taken,
  says so at INFO and returns, instead of racing the first over the same rows
  and dying on a serialization failure.
- ``lock_free_rows``: the rows of a batch that nobody else holds, locked for the
  run; a row a user is saving right now is left for the next run.
- ``run_batch``: one batch in a savepoint; when a concurrent transaction changed
  the batch's rows since the run began, the batch is undone and the run stops
  cleanly, the next run (with a fresh view of the data) does it.
- ``scheduled`` and ``commit_progress``: a job run by the scheduler (a cron
  worker or "Run Manually") commits each batch with its progress
  (``ir.cron._commit_progress``), and the scheduler runs it again at once while
  work is left; called from code (a request, a shell, a test), the job runs in the
  caller's transaction and commits nothing.
- ``run_in_batches``: all of the above for a job that works through the records
  of a domain, batch after batch.
"""

import functools
import logging
import zlib

import psycopg2

from odoo.tools import SQL, mute_logger

_logger = logging.getLogger(__name__)

# batches one run works through before it hands the rest over to the next run
MAX_BATCHES_PER_RUN = 20

# first key of the product's advisory locks ("pm"): other applications sharing the
# database use other keys
LOCK_SPACE = 0x706D
# what a concurrent transaction causes: our snapshot is older than its change, or
# the row is held
CONFLICTS = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.LockNotAvailable,
    psycopg2.errors.DeadlockDetected,
)


def _lock_key(job):
    """The second key of ``job``'s advisory lock: a signed 32-bit number."""
    return zlib.crc32(job.encode()) - 2**31


def job_name(model, method_name):
    return f"{model._name}.{method_name}"


def take_run_lock(env, job):
    """Take the advisory lock of ``job`` until the transaction ends; False when
    another transaction holds it. Taken again by the same transaction, it is
    granted."""
    env.cr.execute(
        "SELECT pg_try_advisory_xact_lock(%s, %s)", (LOCK_SPACE, _lock_key(job))
    )
    return env.cr.fetchone()[0]


def exclusive_run(method):
    """Decorate the method of a cron: it runs only while no other transaction
    runs it; a second run logs that another is in progress and returns False
    (it did nothing).

    A job that commits between its batches releases the lock with each commit:
    it takes it again with ``take_run_lock`` and stops when another run got it.
    """

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        job = job_name(self, method.__name__)
        if not take_run_lock(self.env, job):
            _logger.info("%s: another run is in progress, this one stops", job)
            return False
        return method(self, *args, **kwargs)

    return wrapper


def lock_free_rows(records):
    """The records of ``records`` that no other transaction holds, locked until
    this one ends (``FOR UPDATE SKIP LOCKED``), in the order of ``records``.
    Raises a serialization failure when a row changed since the transaction's
    snapshot: call it inside ``run_batch``."""
    if not records:
        return records
    records.env.cr.execute(
        SQL(
            "SELECT id FROM %s WHERE id IN %s FOR UPDATE SKIP LOCKED",
            SQL.identifier(records._table),
            tuple(records.ids),
        )
    )
    free = {row[0] for row in records.env.cr.fetchall()}
    return records.browse([rid for rid in records.ids if rid in free])


def run_batch(env, job, step):
    """Run ``step()`` in a savepoint. True when done; False, with the batch
    undone and an INFO line, when a concurrent transaction changed its rows since
    this run began: the caller stops, the next run does the batch."""
    try:
        with mute_logger("odoo.sql_db"), env.cr.savepoint():
            step()
    except CONFLICTS as exc:
        _logger.info(
            "%s: rows changed by a concurrent transaction (%s), left for the next run",
            job,
            exc.pgcode,
        )
        return False
    return True


def wake_at(env, cron_xmlid, when):
    """Have the job ``cron_xmlid`` run at ``when`` (a queue's first retry),
    unless a wake-up is already planned at that moment: one trigger, however
    many messages wait for it."""
    job = env.ref(cron_xmlid).sudo()
    planned = (
        env["ir.cron.trigger"]
        .sudo()
        .search_count([("cron_id", "=", job.id), ("call_at", "=", when)])
    )
    if not planned:
        job._trigger(when)


def scheduled(env):
    """Whether the job runs under the scheduler (a cron worker or "Run
    Manually"): the scheduler gave it a progress record to report on."""
    return bool(env.context.get("ir_cron_progress_id"))


def commit_progress(env, processed, remaining):
    """Under the scheduler, commit the batch and report its progress: the
    scheduler runs the job again while ``remaining``; returns the seconds the run
    may still take (0: stop, the scheduler comes back at once). Called from code,
    commit nothing (the caller owns the transaction) and return infinity."""
    if not scheduled(env):
        return float("inf")
    return env["ir.cron"]._commit_progress(processed, remaining=remaining)


def _free_step(records, step, free):
    """``step`` on the rows of ``records`` nobody holds, their ids put in
    ``free``."""
    free.extend(lock_free_rows(records).ids)
    step(records.browse(free))


def run_in_batches(model, method_name, domain, step, batch_size, hand_over, order="id"):
    """Work through the records of ``domain``, ``batch_size`` at a time, each
    batch ``step(records)`` in a savepoint (``run_batch``) on the rows nobody
    holds (``lock_free_rows``).

    Under the scheduler each batch is committed with its progress, so a run
    killed mid-way loses at most its current batch; the commit releases the run
    lock, which is taken again (a run that lost it to another stops). Called from
    code, the batches stay in the caller's transaction. A run stops after
    ``MAX_BATCHES_PER_RUN`` batches, or at the first batch whose rows a
    concurrent transaction changed: what is left is reported to the scheduler,
    or, called from code, ``hand_over()`` (which triggers the job again).
    A run looks at each record once: rows held by a user, and records ``step``
    left in ``domain``, wait for the next run. Returns True."""
    env = model.env
    job = job_name(model, method_name)
    seen = []

    def pending():
        return [*domain, ("id", "not in", seen)]

    for _batch in range(MAX_BATCHES_PER_RUN):
        records = model.search(pending(), order=order, limit=batch_size)
        if not records:
            return True

        free = []
        if not run_batch(env, job, functools.partial(_free_step, records, step, free)):
            break
        seen.extend(records.ids)
        done = len(free)
        if len(records) < batch_size:
            commit_progress(env, done, 0)
            return True
        if scheduled(env):
            if not commit_progress(env, done, model.search_count(pending())):
                return True  # out of time: the scheduler comes back at once
            if not take_run_lock(env, job):
                _logger.info("%s: another run took over", job)
                return True
    if scheduled(env):
        commit_progress(env, 0, model.search_count(pending()))
    else:
        hand_over()
    return True
