"""Every calendar client must see exactly troth's slots.

Builds a ledger with every kind of terms (weekly, daily, monthly on 29/30/31,
all-day, quota, deadline, standing), amends past and pending, pause and
resume, retirement, `--ends`, a void, two zones and occurrences in the
spring-forward gap and the fall-back overlap, over two years of clock
changes. Exports it as iCalendar and expands the file with

  (a) Python's icalendar + recurring_ical_events (the RFC 5545 reference),
  (b) libical (a small C reader, .ci/ics-libical.c),
  (c) ical.js (Thunderbird's library, .ci/ics-icaljs.mjs),

then compares every occurrence — wall-clock time in the promise's zone and
UTC instant — with `troth show --json` slots and `troth due --json`. Exits 1
listing the differences; 0 only when there are none.

usage: ics-check.py --troth BIN --libical BIN --icaljs PATH/TO/ical.js --dir DIR
"""
import argparse
import collections
import datetime as dt
import json
import os
import subprocess
import sys
import zoneinfo

import icalendar
import recurring_ical_events

NOW = "2026-11-23T18:00:00+01:00"
UNTIL = "2027-11-23"  # the default range: a year ahead of NOW

p = argparse.ArgumentParser()
p.add_argument("--troth", required=True)
p.add_argument("--libical", required=True)
p.add_argument("--icaljs", required=True)
p.add_argument("--dir", required=True)
args = p.parse_args()
# troth's environment is the check's own: no TROTH_* setting, XDG dir or home
# of the caller (its list cache would land in the real ~/.cache).
home = os.path.join(args.dir, "home")
os.makedirs(home, exist_ok=True)
env = dict(PATH=os.environ.get("PATH", "/usr/bin:/bin"), HOME=home, XDG_DATA_HOME=os.path.join(home, "data"),
           TROTH_DB=os.path.join(args.dir, "ledger.db"), TZ="Europe/Berlin", TROTH_NOW=NOW)


def troth(*argv, now=NOW):
    r = subprocess.run([args.troth, *argv], env=dict(env, TROTH_NOW=now), capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"troth {' '.join(argv)} (at {now}) failed: {r.stderr.strip()}")
    return r.stdout


def promise(text, terms, starts, now, *extra):
    troth("promise", text, "--terms", terms, "--starts", starts, "--anyway", *extra, now=now)


# ---- the ledger: two years of history in two zones ----
T0 = "2025-02-01T10:00:00+01:00"
NY = ("--zone", "America/New_York")
promise("Date night", "every fri 19:00", "2025-02-01", T0, "--slug", "date-night")
promise("Budget talk", "monthly on 31 09:00", "2025-01-15", T0, "--slug", "budget")
promise("Rent check", "monthly on 30 08:00", "2025-01-01", T0, "--slug", "rent", *NY)
promise("Weekends away", "2 weekends a month", "2025-02-01", T0, "--slug", "weekends")
promise("Early run", "every sun 02:30", "2025-02-01", T0, "--slug", "run", *NY)
promise("Farmers market", "every sat", "2025-02-01", T0, "--slug", "market", "--ends", "2026-06-30")
promise("Gym together", "3 times a week", "2025-02-03", T0, "--slug", "gym", *NY)
promise("Call mum", "every mon,wed 07:30", "2025-02-01", T0, "--slug", "call")
promise("Thursday class", "every thu 20:00", "2025-02-01", T0, "--slug", "class")
promise("Call if late", "standing", "2025-02-01", T0, "--slug", "late")
promise("Typo", "every tue 10:00", "2025-02-01", T0, "--slug", "typo")
promise("Tax papers", "by 2026-05-01", "2026-01-05", "2026-01-05T09:00:00+01:00", "--slug", "tax")
promise("Fix the sink", "by 2026-12-01 18:00", "2026-11-20", "2026-11-20T09:00:00+01:00", "--slug", "sink")
promise("Dishes", "daily", "2026-11-01", "2026-11-20T09:00:00+01:00", "--slug", "dishes")
promise("Budget review", "monthly on 29 21:00", "2025-12-01", "2025-12-01T09:00:00+01:00", "--slug", "review", "--ends", "2027-04-30")

# Every other week (docs/design.md §1), where this troth knows the kind.
for text, terms, slug in [("Cinema", "every 2 weeks fri 19:00", "cinema"), ("Hike", "every other sat", "hike"),
                          ("Cook", "2 every 2 weeks", "cook")]:
    r = subprocess.run([args.troth, "promise", text, "--terms", terms, "--starts", "2025-02-05", "--anyway", "--slug", slug],
                       env=dict(env, TROTH_NOW=T0), capture_output=True, text=True)
    print(f"ics: fortnightly terms {terms!r}: {'included' if r.returncode == 0 else 'not known to this troth'}")

troth("amend", "date-night", "--terms", "every sat 18:00", "--anyway", now="2025-06-10T12:00:00+02:00")
troth("pause", "call", now="2025-09-01T12:00:00+02:00")
troth("resume", "call", now="2025-10-15T12:00:00+02:00")
troth("amend", "weekends", "--terms", "3/month", "--anyway", now="2026-01-10T12:00:00+01:00")
troth("amend", "rent", "--terms", "monthly on 29 08:00", "--anyway", now="2026-01-15T12:00:00-05:00")
troth("retire", "class", now="2026-03-10T12:00:00+01:00")
troth("kept", "date-night", "--at", "2026-11-21T19:00:00+01:00", now="2026-11-22T10:00:00+01:00")
troth("kept", "weekends", "--at", "2026-11-08T12:00:00+01:00", now="2026-11-22T10:00:00+01:00")
troth("void", "--agreement", "typo", "--reason", "entered twice")
# Pending changes, decided now, in effect later.
troth("amend", "date-night", "--terms", "every fri,sat 19:30", "--from", "2027-01-01", "--anyway")
troth("amend", "gym", "--terms", "4/week", "--from", "2027-02-01", "--anyway")
troth("amend", "sink", "--terms", "by 2026-12-05 18:00", "--anyway")
troth("pause", "budget")
troth("amend", "review", "--terms", "monthly on 30 21:00", "--from", "2027-02-01", "--anyway")


# ---- what troth says ----
def wall(s):
    """The wall-clock part of an RFC 3339 time."""
    return s[:19]


def utc(s):
    return dt.datetime.fromisoformat(s).astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def in_force(versions):
    out = []
    for v in versions:
        e = dt.datetime.fromisoformat(v["effective"])
        out = [x for x in out if dt.datetime.fromisoformat(x["effective"]) < e]
        out.append(v)
    return out


def occurrence(a, terms, start, due):
    """One expected line: agreement, component, wall clock, UTC."""
    if terms.startswith("every") or terms.startswith("monthly"):
        if ":" in terms:
            return (a["uuid"], "event", wall(due), utc(due))
        return (a["uuid"], "event", start[:10], "-")
    return (a["uuid"], "todo", wall(due), utc(due))


def expected(frm, until):
    frm = dt.datetime.fromisoformat(frm)
    until = dt.datetime.fromisoformat(until)
    want = set()
    agreements = {a["slug"]: a for a in json.loads(troth("list", "--all", "--json")) if not a["void"]}
    shows = {slug: json.loads(troth("show", str(a["id"]), "--json")) for slug, a in agreements.items()}
    for slug, a in agreements.items():
        for s in shows[slug]["slots"]:
            want.add(occurrence(a, s["terms"], s["start"], s["due"]))
    within = (until - dt.datetime.fromisoformat(NOW)).days + 2
    for d in json.loads(troth("due", "--within", f"{within}d", "--json")):
        a = agreements[d["slug"]]
        due = dt.datetime.fromisoformat(d["due"])
        versions = [v for v in in_force(shows[d["slug"]]["versions"]) if dt.datetime.fromisoformat(v["effective"]) < due]
        terms = versions[-1]["terms"]
        # An all-day occurrence is due at the end of its day.
        start = (due - dt.timedelta(seconds=1)).date().isoformat()
        want.add(occurrence(a, terms, start, d["due"]))
    keep = set()
    for w in want:
        when = dt.datetime.fromisoformat(w[3].replace("Z", "+00:00")) if w[3] != "-" else None
        if when is None:
            # all-day: due at the end of that day in the promise's zone
            z = zoneinfo.ZoneInfo(next(a["zone"] for a in agreements.values() if a["uuid"] == w[0]))
            when = dt.datetime.combine(dt.date.fromisoformat(w[2]) + dt.timedelta(days=1), dt.time(), z)
        if frm <= when <= until:
            keep.add(w)
    return keep, {a["uuid"]: a["zone"] for a in agreements.values()}


# ---- what each client reads ----
def python_reader(path):
    cal = icalendar.Calendar.from_ical(open(path, "rb").read())
    assert len(cal.get("PRODID", "").split("\n")) == 1 and not isinstance(cal.get("PRODID"), list), "PRODID"
    lines = []

    def line(uid, kind, t):
        if not isinstance(t, dt.datetime):
            return f"{uid[:36]}\t{kind}\t{t.isoformat()}\t-"
        local = "UTC" if t.utcoffset() == dt.timedelta(0) and str(t.tzinfo) in ("UTC", "tzutc()") else t.replace(tzinfo=None).isoformat()
        return f"{uid[:36]}\t{kind}\t{local}\t{t.astimezone(dt.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')}"

    for ev in recurring_ical_events.of(cal, components=["VEVENT"]).between((1970, 1, 1), (2200, 1, 1)):
        lines.append(line(str(ev["UID"]), "event", ev.decoded("DTSTART")))
    for todo in cal.walk("VTODO"):
        lines.append(line(str(todo["UID"]), "todo", todo.decoded("DUE")))
    return lines


def run(argv):
    r = subprocess.run(argv, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{argv[0]} could not read the export: {r.stderr.strip()}")
    return [l for l in r.stdout.splitlines() if l]


def normalize(lines, zones):
    out = collections.Counter()
    for l in lines:
        uuid, kind, local, instant = l.split("\t")
        if local == "UTC":
            t = dt.datetime.fromisoformat(instant.replace("Z", "+00:00"))
            local = t.astimezone(zoneinfo.ZoneInfo(zones.get(uuid, "UTC"))).replace(tzinfo=None).isoformat()
        out[(uuid, kind, local, instant)] += 1
    return out


def check(label, path, frm, until, readers):
    want, zones = expected(frm, until)
    want = collections.Counter(want)
    slugs = {a["uuid"]: a["slug"] for a in json.loads(troth("list", "--all", "--json"))}
    bad = 0
    for name, read in readers:
        got = normalize(read(path), zones)
        missing = want - got
        extra = got - want
        for k in sorted(missing):
            print(f"{label} {name}: missing {slugs.get(k[0], k[0])} {k[1]} {k[2]} ({k[3]})")
        for k in sorted(extra):
            print(f"{label} {name}: extra   {slugs.get(k[0], k[0])} {k[1]} {k[2]} ({k[3]})")
        bad += sum(missing.values()) + sum(extra.values())
        print(f"{label} {name}: {sum(got.values())} occurrences read, {sum(want.values())} expected, "
              f"{sum(missing.values())} missing, {sum(extra.values())} extra")
    return bad


full = os.path.join(args.dir, "full.ics")
troth("export", "--format", "ics", "-o", full)
part = os.path.join(args.dir, "part.ics")
troth("export", "--format", "ics", "--from", "2026-03-01", "--until", "2026-12-31", "-o", part)
text = open(full, encoding="utf-8", newline="").read()
assert text.count("\r\nPRODID:") == 1, "exactly one PRODID"
assert "BYSETPOS" not in text, "BYSETPOS is read differently by different clients"
assert "BYMONTHDAY=-1" in text, "the last day of the month is BYMONTHDAY=-1"

readers = [
    ("python-icalendar", python_reader),
    ("libical", lambda f: run([args.libical, f])),
    ("ical.js", lambda f: run(["node", os.path.join(os.path.dirname(__file__), "ics-icaljs.mjs"), args.icaljs, f])),
]
bad = check("default range", full, "1970-01-01T00:00:00+00:00", f"{UNTIL}T18:00:00+01:00", readers)
bad += check("--from 2026-03-01 --until 2026-12-31", part, "2026-03-01T00:00:00+01:00", "2027-01-01T00:00:00+01:00", readers)
if bad:
    sys.exit(f"ics: {bad} differences between troth and the calendar clients")
print("ics: every client reads exactly troth's slots")
