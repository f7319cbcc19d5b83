//! Interchange: the formats troth writes for other programs — CSV for
//! spreadsheets and iCalendar for calendar apps (and the JSON backup).

pub mod csv;
pub mod ics;
