# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import _, api, models
from odoo.exceptions import UserError

from odoo.addons.pm_base.tools.write_guard import GUARD_MIXIN, is_purging


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_kept_record(self):
        """R-KEEP-1: the documents of a kept record (chatter files, attachments,
        evidence) stay with it; field storage is managed by the ORM itself."""
        if self.env.su or is_purging():
            return
        records = defaultdict(set)
        for attachment in self.sudo():
            if attachment.res_model and attachment.res_id and not attachment.res_field:
                records[attachment.res_model].add(attachment.res_id)
        kept_models = self.env[GUARD_MIXIN]._pm_guarded_models()
        for model_name in kept_models:
            Model = self.env[model_name].sudo()
            for name, field in Model._fields.items():
                if (
                    field.type == "many2many"
                    and field.comodel_name == self._name
                    and field.store
                ):
                    owners = Model.with_context(active_test=False).search(
                        [(name, "in", self.ids)]
                    )
                    records[model_name].update(owners.ids)
        for model_name, ids in records.items():
            if model_name not in kept_models:
                continue
            kept = self.env[model_name].sudo().browse(ids).exists()._pm_retention_kept()
            if kept:
                raise UserError(
                    _(
                        "The documents of %(model)s %(record)s are kept with it for "
                        "the retention period and cannot be deleted.",
                        model=kept._description,
                        record=kept[0].display_name,
                    )
                )
