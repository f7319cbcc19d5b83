//! The integration tests: the real binary against a real SQLite ledger in a
//! temp dir, with a fixed clock (`TROTH_NOW`) and zone (`TZ`). One binary with
//! modules, so it links once.

mod acceptance;
mod bus;
mod cache_prop;
mod calendar;
mod clock;
mod clocks;
mod commands;
mod completion;
mod converge;
mod couple;
mod couple3;
mod couple_data;
mod couple_git;
mod crashes;
mod data;
mod door;
mod errors;
mod history;
mod hostile;
mod html;
mod mend;
mod numbers;
mod people;
mod ranges;
mod readme;
mod reliability;
mod remind;
mod report_model;
mod retired;
mod screens;
mod shapes;
mod slots;
mod startup;
mod storage;
mod support;
mod sync;
mod sync_prop;
mod syncthing;
mod upgrade;
mod voice;
mod words;
