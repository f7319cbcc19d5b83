//! Data crossing the ledger's edge: the JSON document of export, import and
//! sync (`json`, the one door for outside facts), CSV for spreadsheets
//! (`csv`) and iCalendar for calendar apps (`ics`).

pub mod csv;
pub mod ics;
pub mod json;
