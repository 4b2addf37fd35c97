# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Dispatch rules (R-DISPATCH-2) as pure functions: which rule takes a request and
which team member gets it. The ORM only feeds them plain values."""

import re

KEYWORD_SEPARATORS = re.compile(r"[,，;；、\n]+")


def parse_keywords(text):
    """Keywords of a rule: separated by commas (also Chinese ones), semicolons or
    new lines; blanks dropped; compared case-insensitively."""
    return [word.strip().lower() for word in KEYWORD_SEPARATORS.split(text or "")]


def rule_matches(criteria, keywords, values, text):
    """Does a rule take a request?

    :param dict criteria: the rule's set criteria, e.g. ``{"request_type":
        "complaint", "building_id": 7}``; an empty value matches anything
    :param list keywords: the rule's keywords; any one found in ``text`` matches
    :param dict values: the request's values for the same keys
    :param str text: subject and description of the request
    """
    for key, expected in criteria.items():
        if expected and values.get(key) != expected:
            return False
    words = [word for word in keywords if word]
    if words:
        haystack = (text or "").lower()
        return any(word in haystack for word in words)
    return True


def pick_round_robin(member_ids, turn):
    """The member whose turn it is, in the team's order: turn 1 goes to the
    first, turn n+1 to the one after turn n's, around the team. The turns are
    counted for the rule (a sequence), not remembered as the last person served,
    so requests arriving together take consecutive turns without waiting for
    each other; a member joining or leaving shifts the order once."""
    if not member_ids:
        return None
    return member_ids[(turn - 1) % len(member_ids)]


def pick_least_load(member_ids, loads):
    """The member with the fewest open requests; ties go to the team's order."""
    if not member_ids:
        return None
    return min(
        member_ids, key=lambda member: (loads.get(member, 0), member_ids.index(member))
    )
