// Expand troth's iCalendar export with ical.js (Thunderbird's library): one
// line per occurrence, "<agreement uuid>\t<event|todo>\t<wall clock>\t<UTC>",
// the format .ci/ics-check.py compares. Times are resolved through the
// file's own VTIMEZONEs. Usage: node ics-icaljs.mjs PATH/TO/ical.js FILE.ics
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [lib, file] = process.argv.slice(2);
const ICAL = (await import(pathToFileURL(lib).href)).default;
const cal = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
const prodids = cal.getAllProperties("prodid").length;
if (prodids !== 1) {
  console.error(`ical.js: ${prodids} PRODID properties`);
  process.exit(1);
}
for (const vtz of cal.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(vtz));
}
const pad = (n) => String(n).padStart(2, "0");
const out = [];
function print(uid, kind, t) {
  const uuid = uid.slice(0, 36);
  if (t.isDate) {
    out.push(`${uuid}\t${kind}\t${t.year}-${pad(t.month)}-${pad(t.day)}\t-`);
    return;
  }
  const utc = new Date(t.toUnixTime() * 1000).toISOString().replace(".000Z", "Z");
  const local = t.zone && t.zone !== ICAL.Timezone.utcTimezone ? t.toString().slice(0, 19) : "UTC";
  if (t.zone === ICAL.Timezone.localTimezone || !t.zone) {
    console.error(`ical.js: ${uid} has a floating time (its zone was not found)`);
    process.exit(1);
  }
  out.push(`${uuid}\t${kind}\t${local}\t${utc}`);
}
for (const c of cal.getAllSubcomponents("vevent")) {
  const ev = new ICAL.Event(c);
  if (!ev.isRecurring()) {
    print(ev.uid, "event", ev.startDate);
    continue;
  }
  const it = ev.iterator();
  let n = 0;
  for (let t = it.next(); t; t = it.next()) {
    print(ev.uid, "event", t);
    if (++n > 100000) {
      console.error(`ical.js: ${ev.uid} does not end`);
      process.exit(1);
    }
  }
}
for (const c of cal.getAllSubcomponents("vtodo")) {
  print(c.getFirstPropertyValue("uid"), "todo", c.getFirstPropertyValue("due"));
}
console.log(out.join("\n"));
