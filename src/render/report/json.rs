//! The report as JSON (docs/cli.md): the shape `report --json` prints and
//! the weekly page reads back. Each person also says which promises their
//! figure averages (`averages`), so the figure can be checked.

use crate::domain::report::Trust;
use crate::domain::time::rfc3339;
use crate::domain::weekly::ReportModel;
use crate::render::due::due_json;
use crate::render::json::{entry_json, round4, talk_json};
use crate::render::over::over_json;
use serde_json::{Value, json};

pub fn trust_json(t: &Trust) -> Value {
    json!({"trust": round4(t.trust), "trust_change": round4(t.trust_change), "rate": t.rate.map(round4)})
}

pub fn report_json(m: &ReportModel) -> Value {
    let home = m.home;
    json!({
        "week": m.week.label,
        "start": rfc3339(m.week.start, home),
        "end": rfc3339(m.week.end, home),
        "agreements": m.rows.iter().map(|rm| {
            let (ag, r) = (rm.agreement, &rm.row);
            json!({"slug": ag.slug, "by": ag.by, "to": ag.to, "promised": r.promised, "kept": r.kept,
                   "broken": r.broken, "excused": r.excused, "missed": r.missed, "extra": r.extra, "late": r.late,
                   "open": r.open.map(|(k, p, d)| json!({"kept": k, "promised": p, "due": rfc3339(d, ag.zone)})),
                   "trust": round4(r.trust), "trust_change": round4(r.trust_change), "rate": r.rate.map(round4)})
        }).collect::<Vec<_>>(),
        "people": m.people.iter().map(|p| {
            let mut v = serde_json::Map::new();
            v.insert("name".into(), json!(p.name));
            if let Value::Object(t) = trust_json(&p.trust) {
                v.extend(t);
            }
            v.insert("averages".into(), p.averages.iter().map(|(a, t)| json!({"slug": a.slug, "trust": round4(*t)})).collect());
            Value::Object(v)
        }).collect::<Vec<_>>(),
        "overall": trust_json(&m.overall),
        "entries": m.entries.iter().map(|(e, ag)| entry_json(e, ag, m.analyses.get(&ag.id).copied())).collect::<Vec<_>>(),
        "overpromising": over_json(&m.over, &m.people_over, &m.by_id),
        "upcoming": due_json(&m.upcoming, &m.by_id),
        "talk": m.talk.iter().map(|t| talk_json(t, &m.analyses, &m.entry_uuids)).collect::<Vec<_>>(),
    })
}
