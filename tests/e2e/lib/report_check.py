"""Checks an abmtier HTML report as a browser saw it (used by report_browser.sh).

    report_check.py DOM SUMMARY_JSON NETLOG BROWSER_STDERR

DOM is chromium's --dump-dom output. Every number the page shows sits in an
element with data-metric (see docs/report.md); this script reads them back
and compares them with the summary JSON of the same run. It also checks that
the page loaded nothing from the network (NETLOG is chromium's
--log-net-log) and logged nothing to the console. Exits 1 with one line per
problem.
"""
import json
import sys
from html.parser import HTMLParser

problems = []


def problem(message):
    problems.append(message)


class Hooks(HTMLParser):
    """Collects data-metric elements, their text, and every src/href."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hooks = []       # (attrs dict, list of text parts)
        self.open = []        # stack of (tag, hook index or None)
        self.links = []
        self.scripts = 0

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs, closed=True)

    def handle_starttag(self, tag, attrs, closed=False):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        for name in ("src", "href", "xlink:href", "action"):
            if name in a:
                self.links.append((tag, name, a[name]))
        index = None
        if "data-metric" in a:
            index = len(self.hooks)
            self.hooks.append((a, []))
        if not closed and tag not in self.VOID:
            self.open.append((tag, index))

    def handle_endtag(self, tag):
        if all(t != tag for t, _ in self.open):
            return
        while self.open:
            t, _ = self.open.pop()
            if t == tag:
                break

    def handle_data(self, data):
        for _, index in self.open:
            if index is not None:
                self.hooks[index][1].append(data)


def select(hooks, metric, **filters):
    found = []
    for attrs, text in hooks:
        if attrs.get("data-metric") != metric:
            continue
        if all(attrs.get("data-" + k.replace("_", "-")) == v for k, v in filters.items()):
            found.append((attrs, "".join(text).strip()))
    return found


def one(hooks, metric, **filters):
    found = select(hooks, metric, **filters)
    if len(found) != 1:
        problem(f"expected one element data-metric={metric} {filters}, found {len(found)}")
        return {}, ""
    return found[0]


def expect_count(hooks, metric, expected, **filters):
    attrs, text = one(hooks, metric, **filters)
    if not attrs:
        return
    if attrs.get("data-value") != str(expected):
        problem(f"{metric} {filters}: data-value {attrs.get('data-value')!r}, summary says {expected}")
    if text.replace(",", "") != str(expected):
        problem(f"{metric} {filters}: page shows {text!r}, summary says {expected}")


def expect_fraction(hooks, metric, expected, **filters):
    """A fraction (or money) that is null in the JSON must be 'not available'."""
    attrs, text = one(hooks, metric, **filters)
    if not attrs:
        return
    if expected is None:
        if "data-value" in attrs or text != "not available":
            problem(f"{metric} {filters}: summary has null, page shows {text!r}")
        return
    value = attrs.get("data-value")
    if value is None or abs(float(value) - expected) > 1e-9:
        problem(f"{metric} {filters}: data-value {value!r}, summary says {expected}")


def check_counts(hooks, s):
    for key in ("rows_read", "accepted", "rejected"):
        expect_count(hooks, key.replace("_", "-"), s["input"][key])
    if one(hooks, "as-of")[0].get("data-value") != s["as_of"]:
        problem("as-of differs from the summary")
    if one(hooks, "source")[0].get("data-value") != s["input"]["source"]:
        problem("source differs from the summary")
    reps = s["capacity"]["reps"]
    if one(hooks, "reps")[0].get("data-value") != ("unknown" if reps is None else str(reps)):
        problem(f"reps differ from the summary ({reps})")
    for tier, t in s["tiers"].items():
        expect_count(hooks, "tier-count", t["count"], tier=tier)
        expect_fraction(hooks, "tier-share", t["share"], tier=tier)
        expect_fraction(hooks, "tier-plan-share", t["plan_share"], tier=tier)
        for metric in ("coverage", "penetration", "pipeline_per_account"):
            expect_fraction(hooks, metric.replace("_", "-"), t[metric], tier=tier)
        if "cap" in t:
            expect_count(hooks, "waitlisted", t["waitlisted"], tier=tier)
            cap = one(hooks, "tier-cap", tier=tier)[0].get("data-value")
            if cap != ("unlimited" if t["cap"] is None else str(t["cap"])):
                problem(f"tier {tier} cap: page {cap!r}, summary {t['cap']}")


def check_owners_and_alerts(hooks, s):
    for o in s["owners"]:
        owner = o["owner"] or ""
        for tier, load in o["tiers"].items():
            expect_count(hooks, "owner-tier-count", load["count"], owner=owner, tier=tier)
    codes = sorted(a.get("data-code") for a, _ in select(hooks, "alert"))
    if codes != sorted(a["code"] for a in s["alerts"]):
        problem(f"alerts on the page {codes} differ from the summary's")
    expect_count(hooks, "alert-count", len(s["alerts"]))


def check_changes(hooks, s):
    c = s["changes"]
    expect_count(hooks, "change-new", c["new"])
    has_previous = bool(select(hooks, "flow"))
    for key in ("promoted", "demoted", "unchanged", "held"):
        if has_previous:
            expect_count(hooks, "change-" + key, c[key])
        elif one(hooks, "change-" + key)[1] != "not available":
            problem(f"change-{key}: no previous tiers, so it must read 'not available'")


def check_charts(hooks, s):
    cells = [int(a["data-value"]) for a, _ in select(hooks, "matrix-count")]
    if len(cells) != 9 or sum(cells) != s["input"]["accepted"]:
        problem(f"matrix cells {cells} do not add up to the {s['input']['accepted']} accounts")
    for tier, t in s["tiers"].items():
        binned = sum(int(a["data-value"]) for a, _ in select(hooks, "composite-bin", tier=tier))
        if binned != t["count"]:
            problem(f"composite bins of tier {tier} hold {binned} accounts, not {t['count']}")


def check_self_contained(parser, netlog_path, stderr_path):
    for tag, name, value in parser.links:
        if not value.startswith("data:") and not value.startswith("#"):
            problem(f"<{tag} {name}={value!r}> points outside the page")
    if parser.scripts:
        problem(f"{parser.scripts} <script> element(s) on the page")
    log = json.load(open(netlog_path, encoding="utf-8"))
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    for event in log["events"]:
        p = event.get("params", {})
        # Requests made for the page carry its file:// origin; chromium's own
        # background traffic (updates, accounts) does not and is ignored.
        if event["type"] == start_job and "file://" in p.get("network_isolation_key", ""):
            problem(f"the page requested {p.get('url')}")
    for line in open(stderr_path, encoding="utf-8", errors="replace"):
        if ":CONSOLE" in line or "Uncaught" in line:
            problem("console message: " + line.strip())


def main():
    dom_path, summary_path, netlog_path, stderr_path = sys.argv[1:5]
    parser = Hooks()
    parser.feed(open(dom_path, encoding="utf-8").read())
    summary = json.load(open(summary_path, encoding="utf-8"))
    if not parser.hooks:
        problem("no data-metric elements in the DOM: did the page load?")
    check_counts(parser.hooks, summary)
    check_owners_and_alerts(parser.hooks, summary)
    check_changes(parser.hooks, summary)
    check_charts(parser.hooks, summary)
    check_self_contained(parser, netlog_path, stderr_path)
    for p in problems:
        print("FAIL: " + p, file=sys.stderr)
    print(f"report DOM: {len(parser.hooks)} numbers checked against the summary, {len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
