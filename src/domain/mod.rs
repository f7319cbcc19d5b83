//! The rules of troth, pure: agreements and entries, terms, slots, time,
//! trust, over-promising, reports as data, settings and their validation.
//! Nothing here does I/O, reads the clock, speaks SQL or knows clap; `now`
//! and the zone come in as arguments.

pub mod agreement;
pub mod checkpoint;
pub mod converge;
pub mod fold;
pub mod offsets;
pub mod phrases;
pub mod remind;
pub mod report;
pub mod settings;
pub mod slots;
pub mod standing;
pub mod talk;
pub mod terms;
pub mod time;
pub mod trust;
pub mod validate;
pub mod voice;
pub mod weekly;

pub use agreement::{Agreement, Entry, Fact, Outcome, Void};
pub use settings::{Settings, TrustParams};

#[cfg(test)]
mod engine_tests;
#[cfg(test)]
mod fold_tests;
#[cfg(test)]
mod test_support;
