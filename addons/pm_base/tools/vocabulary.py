# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The words the property-service addons share, each list written once: kinds of
request, severities, team types, case states, the satisfaction scale, how a return
visit is made and how an owner gives an answer to staff.

The lists are Odoo selections (key, English label); the labels are translated
through the fields that use them.
"""

# what an owner asks for (R-INTAKE-1)
REQUEST_TYPES = [
    ("complaint", "Complaint"),
    ("help", "Help"),
    ("consultation", "Consultation"),
    ("suggestion", "Suggestion"),
    ("repair", "Repair"),
]
# R-SEV-1
SEVERITIES = [
    ("general", "General"),
    ("important", "Important"),
    ("major", "Major"),
]
TEAM_TYPES = [
    ("customer_service", "Customer Service"),
    ("engineering", "Engineering"),
    ("security", "Security"),
    ("cleaning", "Cleaning"),
    ("greening", "Greening"),
    ("order", "Order Maintenance"),
    ("quality", "Quality"),
    ("other", "Other"),
]
# R-FLOW-1: the fixed meaning of each stage of a case; stages are configurable
CASE_STATES = [
    ("received", "Received"),
    ("investigating", "Investigating"),
    ("decided", "Decided"),
    ("processing", "Processing"),
    ("confirmation", "Owner Confirmation"),
    ("return_visit", "Return Visit"),
    ("closed", "Closed"),
]

# R-RV-1 and R-SUR-6: one scale of five levels, best first; the first three count
# as satisfied wherever an owner's satisfaction is counted
SATISFACTION_LEVELS = [
    ("5", "Very Satisfied"),
    ("4", "Satisfied"),
    ("3", "Basically Satisfied"),
    ("2", "Dissatisfied"),
    ("1", "Very Dissatisfied"),
]
SATISFIED_LEVELS = ("5", "4", "3")

# the survey answers store the same levels under names (survey.question.answer
# pm_level, the campaign's counters): name -> level of the scale
SURVEY_LEVEL_SCORES = {
    "very_satisfied": "5",
    "satisfied": "4",
    "basic": "3",
    "dissatisfied": "2",
    "very_dissatisfied": "1",
}


def satisfaction_level(level):
    """The level of the satisfaction scale (``"5"`` .. ``"1"``) of ``level``, a
    level of the scale or a survey answer's name of one; None for anything else."""
    if level in SURVEY_LEVEL_SCORES:
        return SURVEY_LEVEL_SCORES[level]
    return level if level in dict(SATISFACTION_LEVELS) else None


def is_satisfied(level):
    """Whether ``level`` (of the scale or a survey answer's name) counts as
    satisfied."""
    return satisfaction_level(level) in SATISFIED_LEVELS


_LABELS = dict(SATISFACTION_LEVELS)
# the survey's names of the scale, best first, with the scale's labels
SURVEY_LEVELS = [
    (name, _LABELS[score])
    for name, score in sorted(
        SURVEY_LEVEL_SCORES.items(), key=lambda item: item[1], reverse=True
    )
]
SURVEY_SATISFIED_LEVELS = tuple(
    name for name, _label in SURVEY_LEVELS if is_satisfied(name)
)

# how a return visit is made (R-RV-1)
RETURN_VISIT_METHODS = [
    ("phone", "Phone"),
    ("door", "Door-to-door"),
    ("letter", "Letter / Open Letter"),
    ("oral", "Oral"),
    ("survey", "Survey"),
]
# how an owner gave an answer recorded by staff (R-OWNER-1)
DECISION_CHANNELS = [
    ("phone", "By Phone"),
    ("paper", "On Paper"),
    ("in_person", "In Person"),
]
