# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from .common import CommitteeCommon

TODO = "mail.mail_activity_data_todo"


class TestFollowupReminder(CommitteeCommon):
    """The responsible of a follow-up is reminded once, the day after its
    deadline on the property's clock (Asia/Shanghai, UTC+8)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Action = cls.env["pm.meeting.action"]

    def _followups(self):
        with freeze_time("2026-04-03 02:00:00"):
            meeting = self._approved_meeting()
            return (
                self.env["pm.meeting.action"]
                .with_user(self.user_agent)
                .create(
                    [
                        {
                            "meeting_id": meeting.id,
                            "name": "Light the garage",
                            "user_id": self.user_technician.id,
                            "deadline": "2026-04-10",
                        },
                        {
                            "meeting_id": meeting.id,
                            "name": "Move the lockers",
                            "user_id": self.user_agent.id,
                            "deadline": "2026-04-20",
                        },
                    ]
                )
            )

    def _reminders(self, followup):
        return followup.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(TODO)
        )

    def test_reminded_once_after_the_shanghai_deadline_day(self):
        late, later = self._followups()
        # 23:59 on the deadline day in Shanghai: not yet
        with freeze_time("2026-04-10 15:59:00"):
            self.Action._cron_pm_remind_overdue()
            self.assertFalse(self._reminders(late))
            self.assertFalse(late.is_overdue)
        # midnight in Shanghai (still the 10th in UTC): overdue, reminded
        with freeze_time("2026-04-10 16:00:00"):
            # "overdue" is read again at the new time
            late.invalidate_recordset(["is_overdue"])
            self.assertTrue(late.is_overdue)
            self.assertIn(late, self.Action.search([("is_overdue", "=", True)]))
            self.Action._cron_pm_remind_overdue()
            reminder = self._reminders(late)
            self.assertEqual(len(reminder), 1)
            self.assertEqual(reminder.user_id, self.user_technician)
            self.assertEqual(str(reminder.date_deadline), "2026-04-11")
            self.assertEqual(str(late.reminded_date), "2026-04-11")
            self.assertFalse(self._reminders(later))
        # the next runs remind nobody again
        with freeze_time("2026-04-12 03:00:00"):
            self.Action._cron_pm_remind_overdue()
            self.Action._cron_pm_remind_overdue()
            self.assertEqual(len(self._reminders(late)), 1)
            self.assertFalse(self._reminders(later))

    def test_done_followups_are_not_reminded(self):
        late, _later = self._followups()
        with freeze_time("2026-04-09 03:00:00"):
            late.with_user(self.user_technician).write({"result": "Lamps replaced"})
            late.with_user(self.user_technician).action_done()
        with freeze_time("2026-04-15 03:00:00"):
            self.Action._cron_pm_remind_overdue()
            self.assertFalse(self._reminders(late))
            self.assertFalse(late.reminded_date)
