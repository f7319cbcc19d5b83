//! `troth completions`: generated from the clap types.

use crate::cli::{Cli, CompletionsArgs};
use crate::error::Result;
use clap::CommandFactory;
use std::io::Write;

pub fn completions(a: &CompletionsArgs, out: &mut dyn Write) -> Result<()> {
    let mut cmd = Cli::command();
    // Generated into memory first: clap_complete panics on a failed write,
    // and `troth completions zsh | head` closes the pipe early.
    let mut buf = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "troth", &mut buf);
    out.write_all(&buf)?;
    Ok(())
}
