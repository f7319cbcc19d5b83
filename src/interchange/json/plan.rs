//! Applying a promise's plan through the door: its terms versions and status
//! changes, each judged against the promise and what is already here
//! (docs/design.md §1, §9 "Applying").

use super::apply::{Known, already_different, at_text, differs, made_in_future};
use super::check::{StatusFact, VersionFact};
use super::{Applied, SKEW_SECS, refuse};
use crate::domain::slots;
use crate::domain::terms;
use crate::domain::time::Instant;
use crate::error::Result;
use crate::ledger::door::{self, VersionRow};
use crate::ledger::{Tx, from_ts, ts};
use chrono::NaiveDate;

pub(super) fn apply_versions(
    c: &mut Tx<'_>,
    k: &Known,
    versions: Vec<VersionFact>,
    now: Instant,
    done: &mut Applied,
) -> Result<()> {
    let a = &k.row;
    let mut here: Vec<VersionRow> = door::versions_of(&*c, a.id)?;
    for v in versions {
        let terms = v.terms.to_string();
        if let Some(row) = door::version_by_uuid(&*c, &v.uuid)? {
            let field = differs(&[
                ("promise", row.agreement_id == a.id),
                ("terms", row.terms == terms),
                ("unit", row.unit == v.unit),
                ("effective", row.effective == v.effective),
                ("note", row.note == v.note),
                ("created", row.created == v.created),
                ("device", v.device.as_ref().is_none_or(|d| *d == row.device)),
            ]);
            if let Some(f) = field {
                return Err(already_different(&v.path, &v.uuid, "terms version", f));
            }
            done.skipped += 1;
            continue;
        }
        check_version(k, &v, &here, now)?;
        c.set_origin(v.device.as_deref());
        c.add_version(
            &v.uuid,
            a.id,
            &terms,
            v.unit.as_deref(),
            from_ts(v.effective),
            v.note.as_deref(),
            from_ts(v.created),
        )?;
        done.new += 1;
        here.push(VersionRow {
            uuid: v.uuid,
            agreement_id: a.id,
            terms,
            unit: v.unit,
            effective: v.effective,
            note: v.note,
            created: v.created,
            device: String::new(),
        });
    }
    if !here.iter().any(|w| w.effective == a.starts) {
        return Err(refuse(&format!("the promise {}", a.slug), &a.uuid, "it has no terms from its start"));
    }
    Ok(())
}

/// A terms version new here, judged against its promise and the versions
/// already here (docs/design.md §1, §9 "Applying").
fn check_version(k: &Known, v: &VersionFact, here: &[VersionRow], now: Instant) -> Result<()> {
    let (a, z) = (&k.row, k.zone);
    made_in_future(&v.path, &v.uuid, v.created, now, z)?;
    if v.created + SKEW_SECS < a.created {
        return Err(refuse(&v.path, &v.uuid, "it was made before its promise"));
    }
    if v.effective < a.starts {
        return Err(refuse(
            &v.path,
            &v.uuid,
            format!(
                "it is in force from {}, before the promise starts ({})",
                at_text(v.effective, z),
                at_text(a.starts, z)
            ),
        ));
    }
    // The first terms start with the promise, which may start in the
    // past; any later terms take effect no earlier than they were made —
    // except a deadline moved before it was due (docs/design.md §1).
    let first = v.effective == a.starts && v.created == a.created;
    if first && here.iter().any(|w| w.created == a.created && w.effective == a.starts) {
        return Err(refuse(&v.path, &v.uuid, "the promise already has its first terms"));
    }
    let due = slots::due_of_deadline(&v.terms, z).map(ts);
    if v.effective < v.created && !first {
        let moved = due.is_some()
            && here.iter().any(|w| {
                w.created <= v.created
                    && w.effective == v.effective
                    && terms::parse(&w.terms, NaiveDate::from_ymd_opt(2000, 1, 1).expect("date"))
                        .ok()
                        .and_then(|p| slots::due_of_deadline(&p.terms, z))
                        .is_some_and(|d| ts(d) > v.created)
            });
        if !moved {
            return Err(refuse(
                &v.path,
                &v.uuid,
                format!(
                    "it takes effect ({}) before it was made ({}); past slots are never rescored",
                    at_text(v.effective, z),
                    at_text(v.created, z)
                ),
            ));
        }
    }
    if let Some(d) = due
        && (d <= a.starts || (!first && (d <= v.created || d <= v.effective)))
    {
        return Err(refuse(
            &v.path,
            &v.uuid,
            format!("the deadline {} is not after the promise starts or the terms were made", at_text(d, z)),
        ));
    }
    Ok(())
}

pub(super) fn apply_statuses(
    c: &mut Tx<'_>,
    k: &Known,
    statuses: Vec<StatusFact>,
    now: Instant,
    done: &mut Applied,
) -> Result<()> {
    let a = &k.row;
    let z = k.zone;
    for s in statuses {
        if let Some(row) = door::status_by_uuid(&*c, &s.uuid)? {
            let field: Option<&str> = differs(&[
                ("promise", row.agreement_id == a.id),
                ("status", row.status == s.status.name()),
                ("effective", row.effective == s.effective),
                ("created", row.created == s.created),
                ("note", row.note == s.note),
                ("device", s.device.as_ref().is_none_or(|d| *d == row.device)),
            ]);
            if let Some(f) = field {
                return Err(already_different(&s.path, &s.uuid, "status change", f));
            }
            done.skipped += 1;
            continue;
        }
        made_in_future(&s.path, &s.uuid, s.created, now, z)?;
        if s.created + SKEW_SECS < a.created {
            return Err(refuse(&s.path, &s.uuid, "it was made before its promise"));
        }
        if s.effective < s.created {
            return Err(refuse(
                &s.path,
                &s.uuid,
                format!(
                    "it takes effect ({}) before it was made ({}); past slots are never rescored",
                    at_text(s.effective, z),
                    at_text(s.created, z)
                ),
            ));
        }
        c.set_origin(s.device.as_deref());
        c.add_status(&s.uuid, a.id, s.status, from_ts(s.effective), s.note.as_deref(), from_ts(s.created))?;
        done.new += 1;
    }
    Ok(())
}
