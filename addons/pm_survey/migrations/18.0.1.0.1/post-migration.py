# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Campaigns now count their returned forms apart from their ratings, and add each
form to their figures as it comes back: count the answers of the existing campaigns
once. The figures were renamed (forms 有效答卷数, ratings 有效评价数): reload the
module's translations over the old labels."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    campaigns = env["pm.survey.campaign"].with_context(active_test=False).search([])
    campaigns._recompute_statistics()
    env["ir.module.module"].search([("name", "=", "pm_survey")])._update_translations(
        overwrite=True
    )
