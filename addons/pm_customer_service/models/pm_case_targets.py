# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.pm_base.tools import clock

from . import target_rules

# the owner, unit or place recorded at intake: corrected later, the intake was
# not accurate (信息准确率)
RECORDED_FIELDS = ("partner_id", "unit_id", "common_area_id")


class PmCase(models.Model):
    """What the seeds' targets measure on a case beyond its workflow (R-KPI-1):
    whether the intake identified the request (its type never corrected) and
    recorded it accurately (its owner, unit or place never corrected), and
    whether a return visit came the day after the resolution."""

    # pm.case is written in one file per concept, on purpose
    _inherit = "pm.case"  # pylint: disable=consider-merging-classes-inherited

    type_corrected = fields.Boolean(
        string="Type Corrected after Intake",
        readonly=True,
        copy=False,
        help="The kind of request was changed after the case was recorded: the "
        "intake did not identify it (information identification rate).",
    )
    details_corrected = fields.Boolean(
        string="Details Corrected after Intake",
        readonly=True,
        copy=False,
        help="The owner, unit or place recorded at intake was changed for "
        "another one (information accuracy rate).",
    )
    return_visit_next_day = fields.Boolean(
        string="Return Visit by the Next Day",
        readonly=True,
        copy=False,
        help="The return visit was made at the latest the day after the "
        "resolution, in the property's time zone.",
    )

    @api.model
    def _pm_engine_fields(self):
        return super()._pm_engine_fields() | {
            "type_corrected",
            "details_corrected",
            "return_visit_next_day",
        }

    def write(self, vals):
        retyped = self.browse()
        if "request_type" in vals:
            retyped = self.filtered(
                lambda c: not c.type_corrected
                and target_rules.corrected(c.request_type, vals["request_type"])
            )
        recorded = {
            name: value.id if isinstance(value, models.BaseModel) else value
            for name, value in vals.items()
            if name in RECORDED_FIELDS
        }
        corrected = self.browse()
        if recorded:
            corrected = self.filtered(
                lambda c: not c.details_corrected
                and any(
                    target_rules.corrected(c[name].id, value)
                    for name, value in recorded.items()
                )
            )
        visited = self.browse()
        if vals.get("return_visit_done"):
            visited = self.filtered(lambda c: not c.return_visit_done)
        res = super().write(vals)
        if retyped:
            retyped.sudo().write({"type_corrected": True})
        if corrected:
            corrected.sudo().write({"details_corrected": True})
        if visited:
            visited._pm_note_return_visit_day()
        return res

    def _pm_note_return_visit_day(self):
        """Records whether the return visit (done now) came by the day after the
        resolution, both days read at the property."""
        now = fields.Datetime.now()
        in_time = self.browse()
        for case in self:
            tz = case.property_id.tz
            resolved = case.resolved_date
            if target_rules.visited_next_day(
                resolved and clock.local_today(tz, resolved),
                clock.local_today(tz, now),
            ):
                in_time |= case
        if in_time:
            in_time.sudo().write({"return_visit_next_day": True})

    def _pm_target_terms_sql(self):
        """``{term: SQL condition over pm_case}`` of the counts behind the seeds'
        targets, shared by the KPI board and the monthly analysis (the cases
        measured are theirs: the valid ones)."""
        resolved = SQL("pm_case.resolved_date IS NOT NULL")
        repair = SQL("pm_case.request_type = 'repair' AND %s", resolved)
        general_repair = SQL("%s AND pm_case.severity = 'general'", repair)
        return {
            "complaints": SQL("pm_case.request_type = 'complaint'"),
            "complaints_handled": SQL(
                "pm_case.request_type = 'complaint' AND %s", resolved
            ),
            "repairs_resolved": repair,
            "repairs_on_time": SQL("%s AND pm_case.is_resolved_on_time", repair),
            "repairs_visited": SQL("%s AND pm_case.return_visit_done", repair),
            "general_repairs_resolved": general_repair,
            "general_repairs_next_day": SQL(
                "%s AND pm_case.return_visit_next_day", general_repair
            ),
            "passed": SQL(
                "pm_case.is_closed AND COALESCE(pm_case.reopen_count, 0) = 0"
            ),
            "recorded": SQL("TRUE"),
            "accurate": SQL("NOT COALESCE(pm_case.details_corrected, FALSE)"),
            "identified": SQL("NOT COALESCE(pm_case.type_corrected, FALSE)"),
        }
