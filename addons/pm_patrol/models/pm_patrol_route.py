# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command, Domain

from odoo.addons.pm_base.tools import cron, staff

from ..tools import patrol_rules

# routes whose rounds of the day one batch of the planning cron makes
PLAN_BATCH_SIZE = 100


class PmPatrolRoute(models.Model):
    """A patrol route 巡检路线 of a property: checkpoints in the order they are
    walked, the times of day rounds start on the property's clock, and the staff
    who patrol it. Each day the planning cron makes the day's rounds."""

    _name = "pm.patrol.route"
    _description = "Patrol Route"
    _inherit = ["mail.thread", "pm.property.bound.mixin"]
    _order = "property_id, sequence, name, id"

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    property_id = fields.Many2one(tracking=True)
    line_ids = fields.One2many(
        "pm.patrol.route.line", "route_id", string="Checkpoints", copy=True
    )
    checkpoint_count = fields.Integer(compute="_compute_checkpoint_count")
    schedule = fields.Char(
        required=True,
        default="09:00, 21:00",
        tracking=True,
        help="Times of day the rounds start, on the property's clock, e.g. "
        "09:00, 21:00.",
    )
    window_minutes = fields.Integer(
        string="Round Duration (min)",
        required=True,
        default=120,
        tracking=True,
        help="Minutes from a round's scheduled start in which its checkpoints "
        "are to be scanned.",
    )
    team_id = fields.Many2one(
        "pm.team",
        string="Patrol Team",
        tracking=True,
        domain="['|', ('property_id', '=', property_id), ('property_id', '=', False)]",
    )
    user_ids = staff.users(
        "pm_patrol_route_user_rel",
        "route_id",
        string="Patrol Staff",
        help="Staff who patrol this route: each round is theirs.",
    )
    planned_until = fields.Date(
        readonly=True,
        copy=False,
        index=True,
        help="Last day whose rounds are made.",
    )
    round_ids = fields.One2many("pm.patrol.round", "route_id", string="Rounds")
    round_count = fields.Integer(compute="_compute_round_count")

    @api.depends("line_ids")
    def _compute_checkpoint_count(self):
        for route in self:
            route.checkpoint_count = len(route.line_ids)

    def _compute_round_count(self):
        counts = dict(
            self.env["pm.patrol.round"]._read_group(
                [("route_id", "in", self.ids)], ["route_id"], ["__count"]
            )
        )
        for route in self:
            route.round_count = counts.get(route, 0)

    @api.constrains("schedule")
    def _check_schedule(self):
        for route in self:
            try:
                times = patrol_rules.parse_schedule(route.schedule)
            except ValueError as exc:
                raise ValidationError(
                    _(
                        "Route %(route)s: %(part)s is not a time of day "
                        "(write e.g. 09:00, 21:00).",
                        route=route.name,
                        part=exc.args[0],
                    )
                ) from exc
            if not times:
                raise ValidationError(
                    _("Route %s: give at least one start time.", route.name)
                )

    @api.constrains("window_minutes")
    def _check_window(self):
        for route in self:
            if not 1 <= route.window_minutes <= 24 * 60:
                raise ValidationError(_("A round lasts between 1 minute and 24 hours."))

    @api.constrains("line_ids", "property_id")
    def _check_lines_property(self):
        for route in self:
            if route.line_ids.checkpoint_id.property_id - route.property_id:
                raise ValidationError(
                    _(
                        "Route %s: every checkpoint must be of the route's "
                        "property.",
                        route.name,
                    )
                )

    def _pm_times(self):
        self.ensure_one()
        return patrol_rules.parse_schedule(self.schedule)

    def action_view_rounds(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "pm_patrol.pm_patrol_round_action"
        )
        action.update(
            {
                "domain": [("route_id", "=", self.id)],
                "context": {"create": False},
            }
        )
        return action

    # ------------------------------------------------------------
    # THE DAY'S ROUNDS
    # ------------------------------------------------------------

    def _pm_plan_day(self, now):
        """Make the rounds of today (at each route's property) that do not
        exist yet: one per start time, with the route's checkpoints and staff."""
        Round = self.env["pm.patrol.round"]
        vals_list = []
        planned = {}
        for route in self:
            prop = route.property_id
            day = prop._pm_today()
            starts = patrol_rules.still_to_walk(
                patrol_rules.round_starts(day, route._pm_times(), prop.tz),
                route.window_minutes,
                now,
            )
            planned[route.id] = (day, starts)
        taken = {
            (rnd.route_id.id, rnd.scheduled_start)
            for rnd in Round.with_context(active_test=False).search(
                [
                    ("route_id", "in", self.ids),
                    (
                        "scheduled_start",
                        "in",
                        [s for _d, starts in planned.values() for s in starts],
                    ),
                ]
            )
        }
        for route in self:
            day, starts = planned[route.id]
            for start in starts:
                if (route.id, start) in taken:
                    continue
                vals_list.append(route._pm_round_values(day, start))
            route.planned_until = day
        return Round.create(vals_list)

    def _pm_round_values(self, day, start):
        self.ensure_one()
        return {
            "route_id": self.id,
            "property_id": self.property_id.id,
            "date": day,
            "scheduled_start": start,
            "window_end": patrol_rules.window_end(start, self.window_minutes),
            "user_ids": [Command.set(self.user_ids.ids)],
            "visit_ids": [
                Command.create(
                    {"checkpoint_id": line.checkpoint_id.id, "sequence": line.sequence}
                )
                for line in self.line_ids
            ],
        }

    @api.model
    @cron.exclusive_run
    def _cron_plan_rounds(self, batch_size=None):
        """Each day, the rounds of every active route, on the local day of its
        property: a route planned today is not read again (the indexed
        ``planned_until``), and a round that exists is not made twice."""
        now = fields.Datetime.now()
        domain = Domain("planned_until", "=", False) | Domain(
            self.env["pm.property"]._pm_today_domain("planned_until", "<")
        )
        return cron.run_in_batches(
            self,
            "_cron_plan_rounds",
            list(Domain("line_ids", "!=", False) & domain),
            lambda routes: routes._pm_plan_day(now),
            batch_size or PLAN_BATCH_SIZE,
            self.env.ref("pm_patrol.ir_cron_pm_patrol_plan")._trigger,
        )


class PmPatrolRouteLine(models.Model):
    """A checkpoint of a route, in walking order."""

    _name = "pm.patrol.route.line"
    _description = "Patrol Route Checkpoint"
    _order = "route_id, sequence, id"

    route_id = fields.Many2one(
        "pm.patrol.route", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    checkpoint_id = fields.Many2one(
        "pm.patrol.checkpoint", required=True, index=True, ondelete="restrict"
    )
    property_id = fields.Many2one(related="route_id.property_id")
    company_id = fields.Many2one(related="route_id.company_id", store=True)

    _checkpoint_route_uniq = models.Constraint(
        "unique(route_id, checkpoint_id)",
        "A checkpoint is on a route once.",
    )


class PmPatrolRouteDemo(models.Model):
    """A lived-in month of rounds for the demo database."""

    _inherit = "pm.patrol.route"

    @api.model
    def _pm_demo_month(self, route_xmlid, days=30):
        """The rounds of the route's last ``days`` days as they were walked: most
        checkpoints reached on time, a round now and then started late, a
        checkpoint or a whole round missed; closed and, but for the last two
        days, reviewed. Then today's rounds."""
        from odoo.addons.pm_base.tools.write_guard import workflow_writes

        route = self.env.ref(route_xmlid).sudo()
        prop = route.property_id
        today = prop._pm_today()
        if route.round_ids:
            # made at install; an update of the addon leaves the month as it is
            return True
        staff_users = route.user_ids
        Round = self.env["pm.patrol.round"].sudo()
        with workflow_writes():
            for back in range(days, 0, -1):
                day = today - timedelta(days=back)
                starts = patrol_rules.round_starts(day, route._pm_times(), prop.tz)
                for index, start in enumerate(starts):
                    rnd = Round.create(route._pm_round_values(day, start))
                    whole_missed = (back * 2 + index) % 23 == 0
                    late = (back + index) % 10 == 3
                    skip_last = (back * 3 + index) % 13 == 0
                    first = start + timedelta(minutes=35 if late else 5)
                    user = staff_users[(back + index) % len(staff_users)]
                    visits = rnd.visit_ids.sorted("sequence")
                    if not whole_missed:
                        if skip_last:
                            visits = visits[:-1]
                        for step, visit in enumerate(visits):
                            moment = first + timedelta(minutes=12 * step)
                            rnd.with_user(user)._pm_start(moment)
                            visit.write(
                                {
                                    "state": "visited",
                                    "visit_time": moment,
                                    "user_id": user.id,
                                    "reached": patrol_rules.is_reached(
                                        moment, rnd.scheduled_start, rnd.window_end
                                    ),
                                    "result": "normal",
                                }
                            )
                    end = rnd.window_end + timedelta(minutes=1)
                    rnd._pm_close(end)
                    if rnd.needs_review and back > 2:
                        rnd.write(
                            {
                                "reviewed_by_id": prop.director_id.id,
                                "reviewed_on": end + timedelta(hours=2),
                                "review_note": "已与巡逻人员核实并提醒。",
                            }
                        )
                        rnd._pm_escalation_reschedule()
            # a finding of last week, turned into a case at the desk
            finding = Round.search(
                [("route_id", "=", route.id), ("date", "=", today - timedelta(days=5))],
                limit=1,
            ).visit_ids.filtered(lambda v: v.state == "visited")[:1]
            if finding:
                finding.write(
                    {"result": "abnormal", "note": "地下车库入口照明灯不亮两盏。"}
                )
        route.planned_until = today - timedelta(days=1)
        route._pm_plan_day(fields.Datetime.now())
        return True
