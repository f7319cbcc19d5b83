//! The report as CSV: a row per agreement, per person and overall, and a row
//! per thing to talk about (its words in the last column).

use crate::domain::time::rfc3339;
use crate::domain::weekly::ReportModel;
use crate::error::Result;
// Names are typed by people (and may come from the partner's device): a
// name such as `=cmd|…` must not run as a formula when the report is opened
// in a spreadsheet, as in `export --format csv`. Numbers are left as numbers.
use crate::interchange::csv::guard;
use crate::render::json::round4;
use crate::render::voice::talk_words;
use std::io::Write;

const HEADER: [&str; 18] = [
    "week",
    "promise",
    "by",
    "to",
    "promised",
    "kept",
    "broken",
    "excused",
    "missed",
    "extra",
    "late",
    "open_kept",
    "open_promised",
    "open_due",
    "trust",
    "trust_change",
    "rate",
    "talk",
];

pub fn write_csv(m: &ReportModel, out: &mut dyn Write) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(HEADER)?;
    let f = |x: f64| format!("{:.4}", round4(x));
    let week = &m.week.label;
    for rm in &m.rows {
        let (a, r) = (rm.agreement, &rm.row);
        let (ok, op, od) = match r.open {
            Some((k, p, d)) => (k.to_string(), p.to_string(), rfc3339(d, a.zone)),
            None => (String::new(), String::new(), String::new()),
        };
        w.write_record([
            week.clone(),
            a.slug.clone(),
            guard(&a.by),
            guard(&a.to),
            r.promised.to_string(),
            r.kept.to_string(),
            r.broken.to_string(),
            r.excused.to_string(),
            r.missed.to_string(),
            r.extra.to_string(),
            r.late.to_string(),
            ok,
            op,
            od,
            f(r.trust),
            f(r.trust_change),
            r.rate.map(f).unwrap_or_default(),
            String::new(),
        ])?;
    }
    let people = m.people.iter().map(|p| (format!("person:{}", p.name), &p.trust));
    for (name, t) in people.chain([("overall".to_string(), &m.overall)]) {
        let mut rec = vec![week.clone(), name];
        rec.extend(std::iter::repeat_n(String::new(), 12));
        rec.extend([f(t.trust), f(t.trust_change), t.rate.map(f).unwrap_or_default(), String::new()]);
        w.write_record(rec)?;
    }
    // "To talk about": one row each, the words in the last column.
    for t in &m.talk {
        let mut rec = vec![week.clone(), t.agreement.slug.clone(), guard(&t.agreement.by), guard(&t.agreement.to)];
        rec.extend(std::iter::repeat_n(String::new(), 13));
        rec.push(format!("{}: {}", t.kind, talk_words(t, m.now)));
        w.write_record(rec)?;
    }
    w.flush()?;
    Ok(())
}
