//! `troth demo`: a demo ledger of its own, and synthetic ledgers for benchmarks.

use crate::Env;
use crate::cli::DemoArgs;
use crate::error::{Error, Result};
use std::io::Write;

pub fn run(_env: &Env, _a: &DemoArgs, _out: &mut dyn Write) -> Result<()> {
    Err(Error::failure("demo is not built yet"))
}
