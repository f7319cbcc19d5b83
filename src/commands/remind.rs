//! Reminders: `troth remind` (DESIGN.md §6).

use super::Ctx;
use crate::cli::RemindArgs;
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use std::io::Write;

pub fn systemd(out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "# ~/.config/systemd/user/troth-remind.service\n[Unit]\nDescription=troth reminders\n\n[Service]\nType=oneshot\nExecStart=%h/.cargo/bin/troth remind\n"
    )?;
    writeln!(
        out,
        "# ~/.config/systemd/user/troth-remind.timer\n[Unit]\nDescription=Run troth reminders every 5 minutes\n\n[Timer]\nOnBootSec=1min\nOnUnitActiveSec=5min\nPersistent=true\n\n[Install]\nWantedBy=timers.target"
    )?;
    Ok(())
}

pub fn run(_ctx: &Ctx, _ledger: &mut Ledger, _a: RemindArgs, _out: &mut dyn Write) -> Result<()> {
    Err(Error::failure("reminders are not built yet"))
}
