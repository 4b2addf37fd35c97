# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL


class IrModelFieldsSelection(models.Model):
    _inherit = "ir.model.fields.selection"

    @api.model
    def _pm_fill_selection_translations(self):
        """Give the choices of the property-service models the translations the
        same choices of the same field have elsewhere.

        A field a model takes over from a mixin of another module (the activity
        state of mail's mixin, the way an owner answered on the repair order's
        dialog) gets its choices when the model is created, after that module's
        translations were loaded: they would read "Overdue", "By Phone" in a
        Chinese screen. Run after each translation load; it only fills what is
        missing."""
        langs = [
            code
            for code, _name in self.env["res.lang"].get_installed()
            if code != "en_US"
        ]
        filled = 0
        for lang in langs:
            self.env.cr.execute(
                SQL(
                    """
                    WITH donor AS (
                        SELECT DISTINCT ON (f.name, s.value, s.name->>'en_US')
                               f.name AS field_name, s.value,
                               s.name->>'en_US' AS source, s.name->>%(lang)s AS term
                          FROM ir_model_fields_selection s
                          JOIN ir_model_fields f ON f.id = s.field_id
                         WHERE s.name ? %(lang)s
                      ORDER BY f.name, s.value, s.name->>'en_US', s.id
                    )
                    UPDATE ir_model_fields_selection s
                       SET name = s.name || jsonb_build_object(%(lang)s, donor.term)
                      FROM ir_model_fields f, donor
                     WHERE f.id = s.field_id
                       AND f.model LIKE %(models)s
                       AND NOT s.name ? %(lang)s
                       AND donor.field_name = f.name
                       AND donor.value = s.value
                       AND donor.source = s.name->>'en_US'
                    """,
                    lang=lang,
                    models="pm.%",
                )
            )
            filled += self.env.cr.rowcount
        if filled:
            self.env.registry.clear_cache()
        return filled
