//! Data crossing the ledger's edge: the JSON document of export, import and
//! sync (`json`, the one door for outside facts).

pub mod json;
