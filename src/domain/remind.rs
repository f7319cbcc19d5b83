//! Reminder timing (docs/design.md §6): the lead in force for a promise.

use crate::domain::Agreement;
use crate::domain::terms::{Period, Terms};
use crate::domain::time::Span;

/// The reminder lead in force: the agreement's own, else docs/design.md §6's default.
pub fn remind_lead(a: &Agreement, terms: &Terms) -> Option<Span> {
    a.remind.or(match terms {
        Terms::Schedule(_) => Some(Span::hours(1)),
        Terms::Deadline { .. } => Some(Span::days(1)),
        Terms::Quota { period: Period::Day, .. } => Some(Span::hours(6)),
        Terms::Quota { period: Period::Week | Period::Fortnight, .. } => Some(Span::days(2)),
        Terms::Quota { period: Period::Month, .. } => Some(Span::days(3)),
        Terms::Quota { period: Period::Year, .. } => Some(Span::days(14)),
        Terms::Standing => None,
    })
}
