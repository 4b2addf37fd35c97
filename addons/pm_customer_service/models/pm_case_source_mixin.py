# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models
from odoo.exceptions import AccessError

from odoo.addons.pm_base.tools.write_guard import workflow_writes

# the staff who record cases (the least-privileged group that creates them)
CASE_DESK_GROUP = "pm_base.group_pm_agent"
# how long the problem is in the subject of the case made from it
SUBJECT_LENGTH = 60


class PmCaseSourceMixin(models.AbstractModel):
    """A problem an owner raised at a visit (走访) or a return visit (回访) that
    becomes a case in one step, linked both ways (R-LOOP-1; seed 000 §四.3:
    what is a complaint goes into the complaint process; seed 003 篇2 §4.1.3:
    a new opinion not answered on the spot gets its answer later).

    Models list ``case_id`` in their ``_pm_protected_fields`` and say what the
    case is in ``_pm_case_values``."""

    _name = "pm.case.source.mixin"
    _description = "Problem That Becomes a Case"

    case_id = fields.Many2one(
        "pm.case", readonly=True, copy=False, index="btree_not_null"
    )

    def _pm_case_values(self):
        """The values of the case made from this record; per model."""
        raise NotImplementedError

    @staticmethod
    def _pm_case_subject(prefix, text):
        """``prefix``: the first line of ``text``, shortened."""
        line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
        if len(line) > SUBJECT_LENGTH:
            line = line[: SUBJECT_LENGTH - 1] + "…"
        return f"{prefix}: {line}" if line else prefix

    def _pm_open_case_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "pm.case",
            "res_id": self.case_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_make_case(self):
        """R-LOOP-1: make the case of this problem as the front desk records
        one (same creation, defaults and emails), note it on both sides and
        open it; a problem that has its case opens that case."""
        self.ensure_one()
        if self.case_id:
            return self._pm_open_case_action()
        if not self.env.user.has_group(CASE_DESK_GROUP):
            raise AccessError(_("Only the service centre's staff can make a case."))
        self.check_access("write")
        # the caller's own creation, guarded like the intake form's
        case = self.env["pm.case"].create(self._pm_case_values())
        with workflow_writes():
            case.write({"origin_model": self._name, "origin_id": self.id})
            # a second click at the same time updates the same row: one of the
            # two transactions fails and, retried, opens the case of the other
            self.write({"case_id": case.id})
        case.message_post(
            body=_("Made from %s.", self._get_html_link()),
            subtype_xmlid="mail.mt_note",
        )
        self.message_post(
            body=_("Case %s was made from this problem.", case._get_html_link()),
            subtype_xmlid="mail.mt_note",
        )
        return self._pm_open_case_action()
