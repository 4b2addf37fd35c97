# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Whether the sender of an incoming email is who its From says (R-INTAKE-4).

Odoo does not check senders itself: the mail servers that received the email
did, and wrote their verdicts in its headers (``Authentication-Results``,
``ARC-Authentication-Results``, ``Received-SPF``). The rule read from them:

* DMARC failed in any verdict: the From's domain says the mail is not its own;
* or SPF failed (``fail`` or ``softfail``) and DKIM did not pass for the From's
  domain (or a parent domain of it) in the verdict of our own mail server.

Failures count wherever they are written: a forger gains nothing by writing one.
A DKIM pass only counts in the topmost ``Authentication-Results``, the one our
receiving server prepends; those below it may be the forger's own.

An email without any verdict is taken as the mail server delivers it: a
server that checks nothing writes nothing, and the service centre then trusts
its mail server as Odoo does (set up SPF/DKIM/DMARC checks on the receiving
server for the rule to apply).

Pure functions: they take header values and return a reason code.
"""

import re

# the reasons a sender is not verified
DMARC_FAILED = "dmarc"
SPF_FAILED = "spf"

SPF_FAILURES = ("fail", "softfail")
# "method=result" at the start of a result of an Authentication-Results header
RESULT_RE = re.compile(r"^\s*([a-z0-9_-]+)\s*=\s*([a-z]+)", re.IGNORECASE)
PROPERTY_RE = re.compile(r"\b(header\.[di])\s*=\s*([^\s;]+)", re.IGNORECASE)
COMMENT_RE = re.compile(r"\([^()]*\)")


def parse_results(value):
    """The results of an ``Authentication-Results`` header (or of an ARC one):
    a list of (method, result, {property: value}), lower case."""
    text = str(value or "")
    # comments may nest: drop the innermost first
    previous = None
    while previous != text:
        previous, text = text, COMMENT_RE.sub(" ", text)
    results = []
    for part in text.split(";"):
        match = RESULT_RE.match(part)
        if not match:
            continue
        props = {key.lower(): val.lower() for key, val in PROPERTY_RE.findall(part)}
        results.append((match.group(1).lower(), match.group(2).lower(), props))
    return results


def spf_result(value):
    """The result of a ``Received-SPF`` header (its first word), lower case."""
    words = str(value or "").split()
    return words[0].lower() if words else ""


def aligned(domain, from_domain):
    """Whether a DKIM signature of ``domain`` vouches for ``from_domain``: the same
    domain or a parent of it (relaxed alignment)."""
    domain = (domain or "").strip().lstrip("@").rstrip(".").lower()
    if "@" in domain:
        domain = domain.rsplit("@", 1)[1]
    from_domain = (from_domain or "").rstrip(".").lower()
    if not domain or not from_domain:
        return False
    return from_domain == domain or from_domain.endswith("." + domain)


def sender_failure(auth_results, arc_results, received_spf, from_domain):
    """Why the sender of an email is not verified, or None.

    :param auth_results: the values of its ``Authentication-Results`` headers,
        topmost first
    :param arc_results: the values of its ``ARC-Authentication-Results`` headers
    :param received_spf: the values of its ``Received-SPF`` headers
    :param from_domain: the domain of its From address
    :return: :data:`DMARC_FAILED`, :data:`SPF_FAILED` or None
    """
    dmarc_failed = spf_failed = dkim_passed = False
    for index, value in enumerate(auth_results or ()):
        for method, result, props in parse_results(value):
            if method == "dmarc" and result == "fail":
                dmarc_failed = True
            elif method == "spf" and result in SPF_FAILURES:
                spf_failed = True
            elif method == "dkim" and result == "pass" and index == 0:
                signer = props.get("header.d") or props.get("header.i")
                dkim_passed = dkim_passed or aligned(signer, from_domain)
    for value in arc_results or ():
        for method, result, _props in parse_results(value):
            if method == "dmarc" and result == "fail":
                dmarc_failed = True
            elif method == "spf" and result in SPF_FAILURES:
                spf_failed = True
    if any(spf_result(value) in SPF_FAILURES for value in received_spf or ()):
        spf_failed = True
    if dmarc_failed:
        return DMARC_FAILED
    if spf_failed and not dkim_passed:
        return SPF_FAILED
    return None
