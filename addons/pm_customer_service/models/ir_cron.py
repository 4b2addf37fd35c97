# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

# set while an administrator runs a scheduled action by hand ("Run Manually"): the
# batched crons of the product then finish the whole job, not one batch
MANUAL_RUN_CTX = "pm_cron_manual_run"


class IrCron(models.Model):
    _inherit = "ir.cron"

    def method_direct_trigger(self):
        return super(
            IrCron, self.with_context(**{MANUAL_RUN_CTX: True})
        ).method_direct_trigger()
