# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Concurrent portal load against a running Odoo (started by ``scripts/bench --load``).

Several owners at once, each with their own session, repeat one scenario until a request
count or a time limit is reached, whichever comes first:

- ``submit``: open the new-request form, then post it (one case per iteration);
- ``/my/cases``: the owner's request list;
- ``/my``: Odoo's own portal home, the anchor the two others are compared with.

Prints requests, errors, requests per second and the 50th/95th percentile latency of
each scenario side by side, and the ratios to the anchor.

With ``--qr-path``, then two races of visitors not logged in on a common area's QR
code, every form posted at the same instant: several reports with one phone number
from several network addresses, then several with one address and several numbers
(the server runs behind its proxy mode so that ``X-Forwarded-For`` gives each its
address). Prints how many became cases next to the hourly limit.

Exit code 1 when any request failed or a race went over its limit. Only the standard
library and ``requests`` (an Odoo requirement) are used.
"""

import argparse
import statistics
import sys
import threading
import time
from html.parser import HTMLParser

import requests

MARK = "pm-bench"


class FormParser(HTMLParser):
    """The fields of the portal's new-request form, filled as an owner would."""

    def __init__(self, form_class):
        super().__init__()
        self.form_class = form_class
        self.inside = False
        self.select = None
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.form_class in (attrs.get("class") or ""):
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") == "radio":
            # the checked choice, else the first one (the kind of request has
            # no default: the owner picks one)
            if "checked" in attrs:
                self.fields[name] = attrs.get("value")
            else:
                self.fields.setdefault(name, attrs.get("value"))
        elif tag == "input" and name and attrs.get("type") != "file":
            # what the page fills in, else what an owner must type; optional
            # fields (appointment, free-text place) stay empty
            default = MARK if "required" in attrs else ""
            self.fields.setdefault(name, attrs.get("value") or default)
        elif tag == "textarea" and name:
            self.fields.setdefault(name, f"{MARK}: load test")
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select:
            # as a browser does: the selected option, else the first one
            if "selected" in attrs:
                self.fields[self.select] = attrs.get("value", "")
            else:
                self.fields.setdefault(self.select, attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


def login(base, db, user, password):
    session = requests.Session()
    res = session.post(
        f"{base}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "params": {"db": db, "login": user, "password": password},
        },
        timeout=30,
    )
    if res.status_code != 200 or res.json().get("error"):
        sys.exit(f"cannot log in as {user}: {res.text[:200]}")
    return session


def get_page(path):
    def step(session, base):
        res = session.get(f"{base}{path}", timeout=60)
        return res.status_code == 200

    return step


def submit_case(session, base):
    form = session.get(f"{base}/my/cases/new", timeout=60)
    if form.status_code != 200:
        return False
    parser = FormParser("o_pm_case_form")
    parser.feed(form.text)
    if "csrf_token" not in parser.fields:
        return False
    parser.fields["subject"] = MARK
    res = session.post(
        f"{base}/my/cases/submit", data=parser.fields, timeout=60, allow_redirects=False
    )
    return res.status_code in (302, 303)


def race_qr(base, qr_path, phones, addresses):
    """Visitors open the QR form each in their own session and address, then all
    post it at once; the outcomes: created (the receipt page), refused (429),
    errors (anything else)."""
    count = len(phones)
    barrier = threading.Barrier(count)
    outcomes = [None] * count
    host = base.split("//", 1)[1]

    def visitor(index):
        session = requests.Session()
        session.headers.update(
            {"X-Forwarded-For": addresses[index], "X-Forwarded-Host": host}
        )
        try:
            page = session.get(f"{base}{qr_path}", timeout=60)
            parser = FormParser("o_pm_case_form")
            parser.feed(page.text)
            data = dict(parser.fields, subject=MARK, phone=phones[index])
            data["location_type"] = "area"
            barrier.wait(120)
            res = session.post(
                f"{base}/my/cases/submit", data=data, timeout=120, allow_redirects=False
            )
            outcomes[index] = {200: "created", 303: "created", 429: "refused"}.get(
                res.status_code, f"HTTP {res.status_code}"
            )
        except (requests.RequestException, threading.BrokenBarrierError) as error:
            outcomes[index] = type(error).__name__

    threads = [threading.Thread(target=visitor, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "created": outcomes.count("created"),
        "refused": outcomes.count("refused"),
        "errors": [o for o in outcomes if o not in ("created", "refused")],
    }


def run_races(base, qr_path, phone_limit, ip_limit):
    """The two QR races; True when both stayed within their limits."""
    tag = f"{int(time.time()) % 10**8:08d}"
    over_phone = phone_limit + 5
    over_ip = ip_limit + 5
    races = [
        (
            f"one phone, {over_phone} addresses",
            phone_limit,
            race_qr(
                base,
                qr_path,
                [f"139{tag}"] * over_phone,
                [f"10.77.{i}.{int(tag) % 250}" for i in range(over_phone)],
            ),
        ),
        (
            f"one address, {over_ip} phones",
            ip_limit,
            race_qr(
                base,
                qr_path,
                [f"13{i % 10}{tag}" for i in range(over_ip)],
                [f"10.88.{int(tag) % 250}.{int(tag[2:]) % 250}"] * over_ip,
            ),
        ),
    ]
    print("\n== QR code reports sent at the same instant by visitors not logged in ==")
    head = ("sent", "limit", "created", "refused", "errors")
    print(f"{'race':<26} " + " ".join(f"{h:>8}" for h in head))
    ok = True
    for name, limit, result in races:
        sent = result["created"] + result["refused"] + len(result["errors"])
        print(
            f"{name:<26} {sent:>8} {limit:>8} {result['created']:>8} "
            f"{result['refused']:>8} {len(result['errors']):>8}"
        )
        if result["errors"]:
            print(f"  errors: {', '.join(sorted(set(result['errors'])))}")
        ok = ok and not result["errors"] and result["created"] <= limit
    return ok


def run(name, step, sessions, base, count, seconds):
    latencies, errors = [], []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    left = [count]

    def worker(session):
        while time.perf_counter() < deadline:
            with lock:
                if left[0] <= 0:
                    return
                left[0] -= 1
            start = time.perf_counter()
            try:
                ok = step(session, base)
            except requests.RequestException as error:
                ok, _ = False, error
            with lock:
                latencies.append(time.perf_counter() - start)
                if not ok:
                    errors.append(1)

    threads = [threading.Thread(target=worker, args=(s,)) for s in sessions]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    done = len(latencies)
    quantiles = statistics.quantiles(latencies, n=20) if done > 1 else [0] * 19
    return {
        "name": name,
        "done": done,
        "errors": len(errors),
        "rate": done / elapsed if elapsed else 0.0,
        "p50": statistics.median(latencies) * 1000 if latencies else 0.0,
        "p95": quantiles[18] * 1000,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--user", default="pm_owner")
    parser.add_argument("--password", default="pm_owner")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--count", type=int, default=400, help="requests per scenario")
    parser.add_argument("--seconds", type=float, default=30, help="limit per scenario")
    parser.add_argument("--qr-path", help="path and query of a common area's QR code")
    parser.add_argument("--qr-limits", default="3,10", help="per phone,per address")
    args = parser.parse_args()
    sessions = [
        login(args.url, args.db, args.user, args.password)
        for _ in range(args.concurrency)
    ]
    # warm every worker's caches (templates, ORM, translations) on each page the
    # scenarios open, before measuring any of them
    for path in ("/my", "/my/cases", "/my/cases/new"):
        run("warm-up", get_page(path), sessions, args.url, 4 * args.concurrency, 30)
    results = [
        run(
            "portal case submission",
            submit_case,
            sessions,
            args.url,
            args.count,
            args.seconds,
        ),
        run(
            "/my/cases",
            get_page("/my/cases"),
            sessions,
            args.url,
            args.count,
            args.seconds,
        ),
        run(
            "/my (Odoo core)",
            get_page("/my"),
            sessions,
            args.url,
            args.count,
            args.seconds,
        ),
    ]
    print(
        f"\n== portal load: {args.concurrency} concurrent owners, "
        f"at most {args.count} requests or {args.seconds:g} s per scenario =="
    )
    head = ("requests", "errors", "req/s", "p50 ms", "p95 ms")
    print(f"{'scenario':<26} " + " ".join(f"{h:>8}" for h in head))
    for r in results:
        print(
            f"{r['name']:<26} {r['done']:>8} {r['errors']:>8} {r['rate']:>8.1f} "
            f"{r['p50']:>8.0f} {r['p95']:>8.0f}"
        )
    anchor = results[-1]["rate"]
    if anchor:
        pages, submissions = results[1]["rate"], results[0]["rate"]
        print(
            f"/my/cases pages per second = {pages / anchor:.2f} x Odoo's /my; "
            f"submissions (2 requests each) = {submissions / anchor:.2f} x"
        )
    races_ok = True
    if args.qr_path:
        phone_limit, ip_limit = (int(x) for x in args.qr_limits.split(","))
        races_ok = run_races(args.url, args.qr_path, phone_limit, ip_limit)
    return 1 if any(r["errors"] for r in results) or not races_ok else 0


if __name__ == "__main__":
    sys.exit(main())
