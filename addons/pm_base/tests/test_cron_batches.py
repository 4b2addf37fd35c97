# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one batch loop of the product's crons (``tools.cron.run_in_batches``):
each record is looked at once per run, whatever the step did with it, and what a
run leaves is handed over to the next one."""

from unittest.mock import patch

from odoo.tests import TransactionCase

from odoo.addons.pm_base.tools import cron

DOMAIN = [("name", "=like", "pm-batch-%")]


class TestCronBatches(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partners = cls.env["res.partner"].create(
            [{"name": f"pm-batch-{i}"} for i in range(5)]
        )

    def _run(self, step, batch_size=2):
        handed_over = []
        result = cron.run_in_batches(
            self.env["res.partner"],
            "_pm_test_job",
            DOMAIN,
            step,
            batch_size,
            lambda: handed_over.append(True),
        )
        self.assertTrue(result)
        return handed_over

    def test_each_record_once_when_the_step_leaves_it_due(self):
        # a step that leaves its records in the domain (nothing to do for them
        # yet) does not make the run take them again and again
        batches = []
        handed_over = self._run(lambda records: batches.append(records.ids))
        self.assertEqual([len(batch) for batch in batches], [2, 2, 1])
        self.assertEqual(
            sorted(i for batch in batches for i in batch), sorted(self.partners.ids)
        )
        self.assertFalse(handed_over)

    def test_each_record_once_when_the_step_takes_it_out(self):
        batches = []

        def step(records):
            batches.append(records.ids)
            records.write({"name": "done"})

        handed_over = self._run(step)
        self.assertEqual([len(batch) for batch in batches], [2, 2, 1])
        self.assertFalse(self.env["res.partner"].search_count(DOMAIN))
        self.assertFalse(handed_over)

    def test_what_a_run_leaves_is_handed_over(self):
        batches = []
        with patch.object(cron, "MAX_BATCHES_PER_RUN", 2):
            handed_over = self._run(lambda records: batches.append(records.ids))
        self.assertEqual([len(batch) for batch in batches], [2, 2])
        self.assertEqual(handed_over, [True])

    def test_nothing_due_nothing_done(self):
        self.partners.write({"name": "other"})
        batches = []
        self.assertFalse(self._run(lambda records: batches.append(records.ids)))
        self.assertFalse(batches)
