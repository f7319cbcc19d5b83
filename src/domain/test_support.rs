//! What the engine's unit tests share: an agreement with one terms version.

use super::Agreement;
use super::slots::{Plan, Version};
use super::terms;
use super::time::{Instant, local_date};
use chrono_tz::Tz;

/// Agreement `id`, by `by` to Sam, in `zone`, with one terms version
/// (`terms_text`) in force from `starts`.
pub fn agreement(id: i64, terms_text: &str, by: &str, zone: Tz, starts: Instant) -> Agreement {
    let parsed = terms::parse(terms_text, local_date(zone, starts)).expect("terms");
    Agreement {
        id,
        uuid: format!("00000000-0000-4000-8000-{id:012}"),
        slug: format!("a{id}"),
        text: terms_text.into(),
        by: by.into(),
        to: "Sam".into(),
        zone,
        starts,
        ends: None,
        remind: None,
        remind_text: None,
        created_at: starts,
        void: None,
        plan: Plan {
            zone,
            ends: None,
            versions: vec![Version { id, terms: parsed.terms, unit: parsed.unit, effective: starts, created: starts }],
            statuses: vec![],
        },
        repairs: vec![],
    }
}
