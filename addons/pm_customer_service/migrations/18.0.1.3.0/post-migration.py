# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The escalation log is filtered by property like the records it is about: give
the existing rows the property of their record."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        "SELECT DISTINCT res_model FROM pm_escalation_log WHERE property_id IS NULL"
    )
    for (model_name,) in cr.fetchall():
        if model_name not in env:
            continue
        Model = env[model_name]
        field = Model._fields.get("property_id")
        if not field or not field.store or Model._abstract:
            continue
        # table name from the ORM; the identifiers are not user input
        cr.execute(
            f"""
            UPDATE pm_escalation_log log
               SET property_id = rec.property_id
              FROM "{Model._table}" rec
             WHERE log.res_model = %s
               AND log.res_id = rec.id
               AND log.property_id IS NULL
            """,
            (model_name,),
        )
