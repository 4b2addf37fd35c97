# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import AccessError

from odoo.addons.pm_base.tools.write_guard import is_trusted

from .mail_thread import is_service_model

# what a rating of a service record holds of the owner's answer and its link
ANSWER_FIELDS = frozenset(
    {
        "rating",
        "feedback",
        "consumed",
        "access_token",
        "partner_id",
        "res_model_id",
        "res_id",
    }
)


class RatingRating(models.Model):
    """The ratings of the service records hold the owner's answers through the
    rating links: only the product's checked path writes them (R-OWNER-1,
    R-FLOW-2). Employees may write ratings in Odoo; on these, not by RPC."""

    _inherit = "rating.rating"

    def _pm_check_answer_write(self, model_ids):
        """Refuse untrusted code touching the rating of a service record.

        :param model_ids: ids of ``ir.model`` the values point the ratings at
        """
        if is_trusted(self.env):
            return
        models_ = set(self.sudo().mapped("res_model"))
        models_.update(self.env["ir.model"].sudo().browse(model_ids).mapped("model"))
        if any(is_service_model(name) for name in models_):
            raise AccessError(self.env["mail.thread"]._pm_rating_refusal())

    @api.model_create_multi
    def create(self, vals_list):
        self.browse()._pm_check_answer_write(
            [vals["res_model_id"] for vals in vals_list if vals.get("res_model_id")]
        )
        return super().create(vals_list)

    def write(self, vals):
        if ANSWER_FIELDS.intersection(vals):
            model_ids = [vals["res_model_id"]] if vals.get("res_model_id") else []
            self._pm_check_answer_write(model_ids)
        return super().write(vals)
