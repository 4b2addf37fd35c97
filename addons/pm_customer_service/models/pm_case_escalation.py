# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.pm_base.tools import clock, cron, settings
from odoo.addons.pm_base.tools.write_guard import workflow_action

from . import sla_rules
from .pm_case import DEADLINE_FIELDS, OPEN_STATES, OPINION_TYPES, PARAM

# who may re-appoint a resolution beyond the cap (seed 003: 服务中心主任)
REAPPOINTMENT_GROUP = "pm_base.group_pm_director"


class PmCase(models.Model):
    """Deadlines (SLA), escalation and the director's door visit of a case
    (R-SLA-*, R-ESC-*, R-SEV-2)."""

    # pm.case is written in one file per concept, on purpose
    _inherit = "pm.case"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # DEADLINES OF A NEW CASE
    # ------------------------------------------------------------

    @api.model
    def _prepare_sla_values(self, vals, now):
        """Deadlines and first escalation step of a new case, computed before the
        insert (R-SLA-1..5): explicit deadlines in ``vals`` win."""
        prop = self.env["pm.property"].browse(vals.get("property_id"))
        if not prop:
            return
        context = self.env.context
        terms = self.env["pm.sla.policy"]._get_terms(
            vals.get("request_type")
            or context.get("default_request_type")
            or "complaint",
            vals.get("severity") or context.get("default_severity") or "general",
            prop.company_id.id,
        )
        if not terms:
            return
        vals.setdefault("intake_date", now)
        intake = fields.Datetime.to_datetime(vals["intake_date"])
        for key, value in self._sla_deadlines(prop, terms, intake).items():
            vals.setdefault(key, value)
        vals["sla_policy_id"] = terms["id"]
        if vals.get("validity", "valid") == "valid" and vals.get(
            "acknowledge_deadline"
        ):
            _level, due = sla_rules.next_escalation(
                fields.Datetime.to_datetime(vals["acknowledge_deadline"]),
                (),
                now,
                self._pm_escalation_param("escalation_interval_hours"),
                self._pm_escalation_param("reminder_hours"),
            )
            vals.update({"escalation_next_date": due, "escalation_kind": "acknowledge"})

    @api.model
    def _sla_deadlines(self, prop, terms, intake):
        """{deadline field: naive UTC datetime} of a case received at ``intake``."""
        working = terms["time_mode"] == "working"
        intervals = self._calendar_intervals(prop) if working else None
        start = self._local(intake, prop)
        values = {}
        for key, hours in (
            ("acknowledge_deadline", terms["acknowledge_hours"]),
            ("reply_deadline", terms["reply_hours"]),
            ("resolve_deadline", terms["resolve_hours"]),
        ):
            same_day = key == "resolve_deadline" and terms["resolve_same_day"]
            if hours or same_day:
                deadline = sla_rules.compute_deadline(
                    start, hours, working, intervals, same_day=same_day
                )
                values[key] = clock.utc_naive(deadline)
        aligned = sla_rules.align_deadlines(
            *(values.get(key) for key in DEADLINE_FIELDS)
        )
        values.update(
            {
                key: value
                for key, value in zip(DEADLINE_FIELDS, aligned, strict=False)
                if value
            }
        )
        return values

    # ------------------------------------------------------------
    # SLA
    # ------------------------------------------------------------

    @api.model
    def _calendar_intervals(self, prop):
        """Working intervals of the property's calendar, as sla_rules expects."""
        calendar = prop.resource_calendar_id
        if not calendar:
            return None
        tz = clock.property_zone(prop.tz)

        def intervals(start, stop):
            found = calendar._work_intervals_batch(start, stop, tz=tz)[False]
            return [(begin, end) for begin, end, _record in found]

        return intervals

    def _local(self, value, prop=None):
        return clock.local_time(value, (prop or self.property_id).tz)

    def _working_days_after(self, value, days):
        self.ensure_one()
        start = self._local(value or fields.Datetime.now())
        intervals = self._calendar_intervals(self.property_id)
        if intervals is None:
            return (start + timedelta(days=days)).date()
        working = {
            begin.date()
            for begin, _end in intervals(start, start + timedelta(days=days * 3 + 21))
        }
        return sla_rules.add_working_days(start.date(), days, working.__contains__)

    @workflow_action
    def _apply_sla(self):
        """Recompute the deadlines from the policy (R-SLA-1..5), e.g. when the
        severity of a case is corrected at intake."""
        Policy = self.env["pm.sla.policy"]
        for case in self:
            terms = Policy._get_terms(
                case.request_type, case.severity, case.company_id.id
            )
            if not terms:
                continue
            values = case._sla_deadlines(case.property_id, terms, case.intake_date)
            values["sla_policy_id"] = terms["id"]
            case.write(values)

    @workflow_action
    def _change_deadline(self, field_name, new_deadline, reason, owner_booked=False):
        """R-SLA-4: move a deadline with a reason; chatter and owner email.

        ``owner_booked``: the deadline follows a time the owner booked (not a
        delay of ours): the owner's email does not apologise for a delay."""
        self.ensure_one()
        if not (reason or "").strip():
            raise UserError(_("A deadline only moves with a reason."))
        if field_name not in DEADLINE_FIELDS:
            raise UserError(_("Unknown deadline."))
        new_deadline = fields.Datetime.to_datetime(new_deadline)
        if new_deadline < fields.Datetime.now():
            raise ValidationError(_("The new deadline cannot be in the past."))
        old = self[field_name]
        beyond_cap = (
            field_name == "resolve_deadline"
            and not owner_booked
            and self._pm_reappointment_beyond_cap(old, new_deadline)
        )
        self.write(
            {
                field_name: new_deadline,
                "deadline_change_count": self.deadline_change_count + 1,
            }
        )
        label = self._fields[field_name].get_description(self.env)["string"]
        body = _(
            "%(deadline)s moved from %(old)s to %(new)s. Reason: %(reason)s",
            deadline=label,
            # the property's wall clock, as in the owner's email (R-TZ-1)
            old=self._local_label(old) or "-",
            new=self._local_label(new_deadline),
            reason=reason,
        )
        if beyond_cap:
            body += " " + _(
                "More than %(days)s days away, approved by %(approver)s.",
                days=beyond_cap,
                approver=self.env.user.name,
            )
        self.message_post(body=body)
        self.with_context(
            pm_deadline_label=label, pm_deadline_owner_booked=owner_booked
        )._send_template("pm_customer_service.mail_template_pm_case_deadline_change")

    def _pm_reappointment_beyond_cap(self, old, new_deadline):
        """R-SLA-4, seed 003 §4.2.3.1.4: a resolution re-appointed with the owner
        is generally no more than the cap (days, on the property's wall clock)
        away. A later one needs a director or above; returns the cap it exceeds
        (0 when within it, or when the deadline does not move later)."""
        self.ensure_one()
        if old and new_deadline <= old:
            return 0
        cap = settings.get(self.env, PARAM + "reappointment_cap_days")
        tz = self.property_id.tz
        now = clock.local_naive(fields.Datetime.now(), tz)
        if clock.local_naive(new_deadline, tz) <= now + timedelta(days=cap):
            return 0
        if not self.env.user.has_group(REAPPOINTMENT_GROUP):
            raise UserError(
                _(
                    "A resolution date more than %s days away needs a director: "
                    "ask a service centre director to move it.",
                    cap,
                )
            )
        return cap

    # ------------------------------------------------------------
    # ESCALATION (R-ESC-*, R-SEV-2)
    # ------------------------------------------------------------

    def _pm_escalation_watch(self):
        self.ensure_one()
        if self.state == "closed" or self.validity == "invalid":
            return False, False
        if not self.acknowledged_date:
            return "acknowledge", self.acknowledge_deadline
        # R-CLOCK-1: then the first reply to the owner, before the resolution; a
        # case following work orders answers the owner with their own clocks
        # (dispatch, contact, arrival)
        if (
            not self.first_reply_date
            and self.reply_deadline
            and not self.resolved_date
            and not self._pm_follows_work_orders()
        ):
            return "first_reply", self.reply_deadline
        if not self.resolved_date:
            kind = (
                "resolve" if not self.reopen_count else f"resolve_{self.reopen_count}"
            )
            return kind, self.resolve_deadline
        return False, False

    def _pm_escalation_end_reason(self, kind):
        self.ensure_one()
        if self.validity == "invalid":
            return _("the case is closed as invalid")
        if self.state == "closed":
            return _("the case is closed")
        if kind == "acknowledge" and self.acknowledged_date:
            return _("the case is acknowledged")
        if kind == "first_reply" and self.first_reply_date:
            return _("the owner got a first reply")
        if self.resolved_date:
            return _("the case is resolved")
        return super()._pm_escalation_end_reason(kind)

    def _pm_escalation_responsible(self):
        self.ensure_one()
        return (
            self.user_id
            or self.first_contact_user_id
            or self.sudo()._pm_front_desk_user()
        )

    def _pm_escalation_team_leader(self):
        self.ensure_one()
        return (
            self.team_id.leader_id or self.property_id._pm_front_desk_team().leader_id
        )

    @api.model
    def _pm_deadline_label(self, kind):
        """The deadline an escalation is about, in the environment's language."""
        if kind == "acknowledge":
            return _("acknowledgement")
        if kind == "first_reply":
            return _("first reply")
        return _("resolution")

    @api.model
    def _pm_escalation_kind_label(self, kind):
        if kind == "acknowledge":
            return _("Acknowledgement deadline")
        if kind == "door_visit":
            return _("Director's door visit")
        if kind == "first_reply":
            return _("First reply deadline")
        if kind == "resolve":
            return _("Resolution deadline")
        if kind and kind.startswith("resolve_"):
            # the deadline of the n-th processing after the owner reopened the case
            return _("Resolution deadline (reopened %s)", kind.removeprefix("resolve_"))
        return super()._pm_escalation_kind_label(kind)

    @api.model
    def _pm_escalation_step_label(self, kind, level):
        if kind == "door_visit":
            # the door visit is planned for the director (R-ESC-2)
            return self._pm_level_label(sla_rules.LEVEL_DIRECTOR)
        return super()._pm_escalation_step_label(kind, level)

    def _pm_escalation_summary(self, kind, level):
        deadline_label = self._pm_deadline_label(kind)
        if level == sla_rules.LEVEL_REMINDER:
            return _("Deadline of the %s approaching", deadline_label)
        return _(
            "Overdue %(deadline)s - escalated to %(level)s",
            deadline=deadline_label,
            level=self._pm_level_label(level),
        )

    def _pm_escalation_template(self, level):
        if level == sla_rules.LEVEL_REMINDER:
            return "pm_customer_service.mail_template_pm_case_reminder"
        return "pm_customer_service.mail_template_pm_case_escalation"

    def _pm_escalation_mail_context(self, kind, level):
        return {"pm_deadline_label": self._pm_deadline_label(kind)}

    @api.model
    def _param(self, key):
        return settings.get(self.env, PARAM + key)

    @api.model
    @cron.exclusive_run
    @workflow_action
    def _cron_pm_auto_upgrade(self, batch_size=500):
        """R-SEV-2: valid complaints still open after N days become major. One
        run at a time; a case a user is saving right now is upgraded by the next
        run."""
        days = self._param("auto_major_days")
        now = fields.Datetime.now()

        def step(cases):
            for case in cases:
                if not sla_rules.should_upgrade_to_major(
                    True, True, case.severity, case.intake_date, now, days
                ):
                    continue
                case.write({"severity": "major", "auto_major_date": now})
                case.message_post(
                    body=self.env._(
                        "Upgraded to major: still open %s days after intake.",
                        days,
                    )
                )

        return cron.run_in_batches(
            self,
            "_cron_pm_auto_upgrade",
            [
                ("intake_date", "<=", now - timedelta(days=days)),
                ("request_type", "=", "complaint"),
                ("validity", "=", "valid"),
                ("severity", "!=", "major"),
                ("state", "in", OPEN_STATES),
            ],
            step,
            batch_size,
            self.env.ref("pm_customer_service.ir_cron_pm_case_auto_major")._trigger,
        )

    @workflow_action
    def _check_door_visit(self):
        """R-ESC-2: plan the director's door visit once per case when needed."""
        window = self._param("repeat_window_days")
        Log = self.env["pm.escalation.log"].sudo()
        for case in self:
            if case.request_type not in OPINION_TYPES or case.validity != "valid":
                continue
            previous = []
            if case.partner_id:
                # the latest earlier case is enough: one query, no records read
                previous = [
                    intake
                    for (intake,) in self.sudo()._read_group(
                        [
                            ("partner_id", "=", case.partner_id.id),
                            ("id", "!=", case.id),
                            ("request_type", "in", OPINION_TYPES),
                            (
                                "intake_date",
                                ">=",
                                case.intake_date - timedelta(days=window),
                            ),
                            ("intake_date", "<=", case.intake_date),
                        ],
                        aggregates=["intake_date:max"],
                    )
                    if intake
                ]
            reasons = sla_rules.door_visit_reasons(
                case.severity, case.channel, previous, case.intake_date, window
            )
            if not reasons:
                continue
            director = case.property_id.director_id
            if not Log._try_insert(
                case._name,
                case.id,
                "door_visit",
                1,
                director.id,
                case.company_id.id,
                case.property_id.id,
            ):
                continue
            case._plan_door_visit(reasons, director)

    @api.model
    def _door_visit_reason_labels(self):
        return {
            "major": _("major case"),
            "head_office": _("forwarded by head office"),
            "repeat": _("repeated complaint of the same owner"),
        }

    def _plan_door_visit(self, reasons, director):
        self.ensure_one()
        today = self.property_id._pm_today()
        due = (
            today
            if "head_office" in reasons
            else today + timedelta(days=self._param("door_visit_days"))
        )
        # the field shows the reasons in the reader's language
        self.write(
            {"door_visit_required": True, "door_visit_reason_keys": ",".join(reasons)}
        )
        visit = self._pm_create_return_visit(
            method="door", due_date=due, visitor_id=director.id or False
        )
        if director:
            # the activity is written in the director's language, whoever runs this
            case = self.with_context(lang=director.lang or self.env.lang)
            case.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=director.id,
                date_deadline=due,
                summary=case.env._("Director door visit: %s", case.door_visit_reason),
                note=case.env._(
                    "Visit the owner in person (return visit %s).", visit.name
                ),
            )
