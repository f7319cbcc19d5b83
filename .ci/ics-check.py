"""Read troth's iCalendar export with Python's `icalendar` package: every
schedule has an RRULE, every deadline a DUE, every TZID a VTIMEZONE."""
import sys
import icalendar

cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
tzids = {str(c["TZID"]) for c in cal.walk("VTIMEZONE")}
events = cal.walk("VEVENT")
todos = cal.walk("VTODO")
assert events, "no VEVENT"
assert todos, "no VTODO"
rrules = [e["RRULE"].to_ical().decode() for e in events]
assert "FREQ=WEEKLY;BYDAY=FR" in rrules, rrules
dues = [t.get("DUE") for t in todos]
assert all(d is not None for d in dues), dues
for c in events + todos:
    for key in ("DTSTART", "DUE"):
        if key in c and "TZID" in c[key].params:
            assert c[key].params["TZID"] in tzids, (key, c[key].params["TZID"], tzids)
# Times resolve to real zone-aware datetimes.
start = [e for e in events if e["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=FR"][0].decoded("DTSTART")
assert start.utcoffset() is not None, start
print(f"ics: {len(events)} events, {len(todos)} to-dos, zones {sorted(tzids)}: ok")
