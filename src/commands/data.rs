//! Data in and out: export (json, csv, ics) and import.

use super::Ctx;
use crate::cli::{ExportArgs, ImportArgs};
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use std::io::Write;

pub fn export(_ctx: &Ctx, _ledger: &Ledger, _a: ExportArgs, _out: &mut dyn Write) -> Result<()> {
    Err(Error::failure("export is not built yet"))
}

pub fn import(_ctx: &Ctx, _ledger: &mut Ledger, _a: ImportArgs, _out: &mut dyn Write) -> Result<()> {
    Err(Error::failure("import is not built yet"))
}
