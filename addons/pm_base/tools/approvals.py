# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The vocabulary of the approval engine (``pm.approval.mixin``): the rows a
model's approval table is made of and the groups that approve."""

from typing import NamedTuple

from odoo import fields

APPROVAL_ACTIVITY = "pm_base.mail_activity_type_pm_approval"
GROUP = "pm_base.group_pm_"
# approving groups from the lowest up: each step goes to the people whose role is
# that group (a quality user also is a director, but is not asked as one)
APPROVER_LADDER = (GROUP + "director", GROUP + "quality", GROUP + "manager")
REJECT_WIZARD = "pm.approval.reject.wizard"


class ApprovalStep(NamedTuple):
    """One row of a model's approval table."""

    name: str  # the step, e.g. "review"
    state_from: str  # the state it is taken from
    state_to: str  # the state it leads to
    group: str  # xmlid of the group allowed to take it
    user_field: str  # who took it
    date_field: str  # when
    # the activity of the people asked to take it
    summary: str = ""
    # who may send the record back while it waits for this step (default: group)
    reject_group: str = ""
    # sending back keeps who took this step and when (e.g. the drafter)
    kept_on_reject: bool = False


def state_field(states, **options):
    """The ``state`` of a model with an approval table: drafted, submitted, then
    ``states`` (the approval states and what follows them), tracked and never
    copied; ``options`` are further field attributes."""
    return fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), *states],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        **options,
    )
