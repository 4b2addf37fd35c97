# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class PmNoticeRead(models.Model):
    """An owner has opened a notice on their portal: one row per owner and
    notice, the first time (the read rate of the notice)."""

    _name = "pm.notice.read"
    _description = "Notice Read by an Owner"
    _order = "read_date desc, id desc"

    notice_id = fields.Many2one(
        "pm.notice", required=True, index=True, ondelete="cascade", readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Owner", required=True, index=True, readonly=True
    )
    read_date = fields.Datetime(
        string="Read On", required=True, readonly=True, default=fields.Datetime.now
    )
    property_id = fields.Many2one(related="notice_id.property_id", store=True)
    company_id = fields.Many2one(related="notice_id.company_id", store=True)

    _notice_partner_unique = models.Constraint(
        "UNIQUE(notice_id, partner_id)", "An owner reads a notice once."
    )

    @api.model
    def _pm_mark_read(self, notice, partner):
        """Record that ``partner`` opened ``notice`` (already checked to be one
        they may read): once, whatever the number of visits or a second tab
        opening it at the same moment."""
        self.env.cr.execute(
            """
            INSERT INTO pm_notice_read
                (notice_id, partner_id, read_date, property_id, company_id,
                 create_uid, create_date, write_uid, write_date)
            VALUES (%s, %s, NOW() AT TIME ZONE 'UTC', %s, %s,
                    %s, NOW() AT TIME ZONE 'UTC', %s, NOW() AT TIME ZONE 'UTC')
            ON CONFLICT (notice_id, partner_id) DO NOTHING
            """,
            (
                notice.id,
                partner.id,
                notice.property_id.id,
                notice.company_id.id,
                self.env.uid,
                self.env.uid,
            ),
        )
        self.env.invalidate_all()
        return True
