# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.pm_base.tools import images
from odoo.addons.pm_base.tools.write_guard import workflow_action, workflow_writes

from ..tools import patrol_rules
from .pm_patrol_round import OPEN_STATES

VISIT_STATES = [
    ("pending", "Not Scanned"),
    ("visited", "Scanned"),
    ("missed", "Missed"),
]
RESULTS = [("normal", "Normal"), ("abnormal", "Abnormal")]
# the staff who turn a finding into a case or a rectification
DESK_GROUP = "pm_base.group_pm_agent"
# days a rectification raised from a finding is due in
RECTIFICATION_DAYS = 7
# photos one finding keeps at most
MAX_PHOTOS = 6


class PmPatrolVisit(models.Model):
    """A checkpoint of a round: when it was scanned and by whom (到位 when
    within the round's window), and what the patroller found there, with
    photos. A finding becomes a case or a rectification in one step."""

    _name = "pm.patrol.visit"
    _description = "Patrol Checkpoint Visit"
    _inherit = [
        "mail.thread",
        "pm.case.source.mixin",
        "pm.workflow.guard.mixin",
    ]
    _order = "round_id, sequence, id"
    _pm_protected_fields = (
        "state",
        "visit_time",
        "user_id",
        "reached",
        "case_id",
        "rectification_id",
        "round_id",
        "checkpoint_id",
        "photo_ids",
    )
    # the findings of a closed round are kept as they are
    _pm_frozen_field = "round_state"
    _pm_frozen_states = ("closed",)

    round_id = fields.Many2one(
        "pm.patrol.round", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    checkpoint_id = fields.Many2one(
        "pm.patrol.checkpoint", required=True, index=True, ondelete="restrict"
    )
    property_id = fields.Many2one(
        related="round_id.property_id", store=True, index=True
    )
    company_id = fields.Many2one(related="round_id.company_id", store=True, index=True)
    date = fields.Date(related="round_id.date", store=True)
    round_state = fields.Selection(related="round_id.state", string="Round State")
    state = fields.Selection(
        VISIT_STATES, default="pending", required=True, index=True, readonly=True
    )
    visit_time = fields.Datetime(string="Scanned At", readonly=True, copy=False)
    user_id = fields.Many2one(
        "res.users", string="Scanned By", readonly=True, copy=False
    )
    reached = fields.Boolean(
        readonly=True,
        copy=False,
        help="Scanned within the round's window (到位).",
    )
    result = fields.Selection(RESULTS, tracking=True)
    note = fields.Text(tracking=True)
    photo_ids = fields.Many2many(
        "ir.attachment",
        "pm_patrol_visit_photo_rel",
        "visit_id",
        "attachment_id",
        string="Photos",
    )
    photo_count = fields.Integer(compute="_compute_photo_count")
    rectification_id = fields.Many2one(
        "pm.rectification", readonly=True, copy=False, index="btree_not_null"
    )

    @api.depends("photo_ids")
    def _compute_photo_count(self):
        for visit in self:
            visit.photo_count = len(visit.photo_ids)

    def _compute_display_name(self):
        for visit in self:
            visit.display_name = (
                f"{visit.round_id.display_name} · {visit.checkpoint_id.name}"
            )

    # ------------------------------------------------------------
    # THE PATROLLER'S PHONE
    # ------------------------------------------------------------

    @api.model
    def _pm_scan(self, checkpoint, now=None):
        """The current user scanned ``checkpoint``: the visit of their round
        open at that checkpoint now is stamped (once). Returns ``(visit,
        result)``: ``"stamped"`` or ``"already"``.

        :raise AccessError: the user patrols no round here
        :raise UserError: no round of theirs is running at this checkpoint now
        """
        now = now or fields.Datetime.now()
        user = self.env.user
        if user.share or not user.has_group("pm_base.group_pm_technician"):
            raise AccessError(_("Log in with your staff account to patrol."))
        Visit = self.sudo()
        candidates = Visit.search(
            [
                ("checkpoint_id", "=", checkpoint.id),
                ("round_id.state", "in", OPEN_STATES),
                ("round_id.user_ids", "in", user.id),
                ("round_id.scheduled_start", "<=", now),
                ("round_id.window_end", ">=", now),
            ],
            order="state desc, id",
        )
        if not candidates:
            mine = Visit.search_count(
                [
                    ("checkpoint_id", "=", checkpoint.id),
                    ("round_id.user_ids", "in", user.id),
                ],
                limit=1,
            )
            if not mine:
                raise AccessError(
                    _("Checkpoint %s is on none of your routes.", checkpoint.name)
                )
            raise UserError(
                _(
                    "None of your rounds at checkpoint %s is running now: scan it "
                    "again during the round's time.",
                    checkpoint.name,
                )
            )
        # the user's own view: record rules apply to what they act on
        pending = candidates.filtered(lambda v: v.state == "pending")[:1]
        if not pending:
            return candidates[:1].with_env(self.env), "already"
        visit = pending.with_env(self.env)
        visit.check_access("write")
        visit._pm_stamp(now)
        return visit, "stamped"

    @workflow_action
    def _pm_stamp(self, now):
        self.ensure_one()
        rnd = self.round_id
        rnd._pm_start(now)
        self.write(
            {
                "state": "visited",
                "visit_time": now,
                "user_id": self.env.user.id,
                "reached": patrol_rules.is_reached(
                    now, rnd.scheduled_start, rnd.window_end
                ),
            }
        )

    def _pm_report(self, result, note, photos):
        """The patroller records what they found: normal or abnormal, a note and
        photos (``[(file name, bytes)]``, each checked as every upload is before
        anything is saved)."""
        self.ensure_one()
        if self.env.user != self.sudo().user_id and not self.env.su:
            raise AccessError(_("Only who scanned the checkpoint reports on it."))
        if self.state != "visited":
            raise UserError(_("Scan the checkpoint before reporting on it."))
        if self.round_id.state not in OPEN_STATES:
            raise UserError(
                _("The round is closed: its findings are kept as they are.")
            )
        if result not in dict(RESULTS):
            raise UserError(_("Say whether the checkpoint is normal or abnormal."))
        if result == "abnormal" and not (note or "").strip() and not photos:
            raise UserError(_("Describe the problem found, or add a photo of it."))
        if len(photos) + len(self.photo_ids) > MAX_PHOTOS:
            raise UserError(_("A finding keeps %s photos at most.", MAX_PHOTOS))
        checked = [
            (name, *images.check_image(self.env, data, name or _("Photo")))
            for name, data in photos
        ]
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": name or "photo",
                        "raw": data,
                        "mimetype": mimetype,
                        "res_model": self._name,
                        "res_id": self.id,
                    }
                    for name, data, mimetype in checked
                ]
            )
        )
        with workflow_writes():
            self.write(
                {
                    "result": result,
                    "note": (note or "").strip() or False,
                    "photo_ids": [fields.Command.link(a.id) for a in attachments],
                }
            )
        return True

    # ------------------------------------------------------------
    # A FINDING BECOMES A CASE OR A RECTIFICATION (R-LOOP-1)
    # ------------------------------------------------------------

    def _pm_check_finding(self):
        self.ensure_one()
        if self.result != "abnormal":
            raise UserError(
                _("Only an abnormal finding becomes a case or a rectification.")
            )

    def _pm_finding_text(self):
        self.ensure_one()
        point = self.checkpoint_id
        when = self.property_id._pm_local_text(self.visit_time)
        return _(
            "Patrol finding at %(point)s (%(when)s, %(who)s): %(note)s",
            point=point.display_name,
            when=when,
            who=self.user_id.name or "",
            note=self.note or _("see the photos"),
        )

    def _pm_case_values(self):
        self._pm_check_finding()
        route = self.round_id.route_id
        team = route.team_id
        return {
            "property_id": self.property_id.id,
            "common_area_id": self.checkpoint_id.common_area_id.id,
            "location": self.checkpoint_id.name,
            "request_type": "repair" if team.team_type == "engineering" else "help",
            "channel": "patrol",
            "subject": self._pm_case_subject(
                _("Patrol %s", self.checkpoint_id.name), self.note
            ),
            "description": self._pm_finding_text(),
            "team_id": team.id,
            "user_id": team.leader_id.id,
        }

    def _pm_copy_photos(self, record):
        """The finding's photos, copied onto ``record`` (its own attachments)."""
        return (
            self.photo_ids.sudo().copy({"res_model": record._name, "res_id": record.id})
            if self.photo_ids
            else self.env["ir.attachment"]
        )

    def action_make_case(self):
        if not self.case_id:
            self._pm_check_finding()
        res = super().action_make_case()
        case = self.case_id
        if case and self.photo_ids and not case.attachment_ids:
            photos = self._pm_copy_photos(case)
            case.sudo().attachment_ids = [fields.Command.set(photos.ids)]
        return res

    def action_make_rectification(self):
        """R-LOOP-1: the finding becomes a rectification of the route's team, due
        in a week at the property, with the finding's photos."""
        self.ensure_one()
        if self.rectification_id:
            return self._pm_open_rectification()
        if not self.env.user.has_group(DESK_GROUP):
            raise AccessError(
                _("Only the service centre's staff can make a rectification.")
            )
        self._pm_check_finding()
        self.check_access("write")
        team = self.round_id.route_id.team_id
        Rect = self.env["pm.rectification"]
        rect = Rect.create(
            Rect._pm_prepare_from_source(
                self,
                "patrol",
                self._pm_finding_text(),
                property_id=self.property_id.id,
                team_id=team.id,
                user_id=team.leader_id.id,
                deadline=self.property_id._pm_today()
                + timedelta(days=RECTIFICATION_DAYS),
            )
        )
        self._pm_copy_photos(rect)
        self._pm_link_rectification(rect)
        rect.message_post(
            body=_("Made from %s.", self._get_html_link()),
            subtype_xmlid="mail.mt_note",
        )
        return self._pm_open_rectification()

    @workflow_action
    def _pm_link_rectification(self, rect):
        self.write({"rectification_id": rect.id})

    def _pm_open_rectification(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "pm.rectification",
            "res_id": self.rectification_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
