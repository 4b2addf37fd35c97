# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class PmPortalSubmissionMixin(models.AbstractModel):
    """A record an owner submits from a portal form: one submitted form gives
    one record, whatever the double clicks and retries (SPEC §10, duplicate
    submissions). The form carries a key of its own; the database refuses a
    second record with the same key, under concurrency too."""

    _name = "pm.portal.submission.mixin"
    _description = "Owner's Portal Submission"

    portal_submit_key = fields.Char(copy=False, readonly=True, index=True)

    _portal_submit_key_unique = models.Constraint(
        "UNIQUE(portal_submit_key)",
        "This form was already submitted.",
    )
