# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import threading

from odoo import models
from odoo.exceptions import UserError

# a job that still reports work left after this many manual runs is left to the
# scheduler (it triggered itself)
MAX_MANUAL_RUNS = 1000


class IrCron(models.Model):
    _inherit = "ir.cron"

    def method_direct_trigger(self):
        """ "Run Manually" finishes the job, as the scheduler does.

        A job that works in batches (the monthly quality analysis: one property
        per run) tells the scheduler what is left with ``_commit_progress``; the
        scheduler runs it again at once until nothing is, but Odoo's manual run
        stops after the first batch. Here the manual run goes on the same way:
        again while the last run made progress and reported work left, each run
        committed like a scheduled one. Each run keeps the job's own limit."""
        self.ensure_one()
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        Progress = self.env["ir.cron.progress"].sudo()
        result = super().method_direct_trigger()
        for _run in range(MAX_MANUAL_RUNS):
            progress = Progress.search(
                [("cron_id", "=", self.id)], order="id desc", limit=1
            )
            if not (progress.done and progress.remaining):
                break
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            try:
                result = super().method_direct_trigger()
            except UserError:
                # the scheduler took the job over meanwhile: it finishes it
                break
        return result
