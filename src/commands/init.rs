//! `troth init`: name the two of you (and the ledger's home zone).

use super::Ctx;
use super::config::settings_json;
use crate::cli::InitArgs;
use crate::domain::settings::validate_name;
use crate::domain::time;
use crate::error::{Error, Result};
use crate::ledger::{Ledger, new_uuid};
use crate::render::json::write_json;
use std::io::Write;

pub fn init(ctx: &Ctx, ledger: &mut Ledger, a: InitArgs, out: &mut dyn Write) -> Result<()> {
    let me = a.me.as_deref().map(validate_name).transpose()?;
    let partner = a.partner.as_deref().map(validate_name).transpose()?;
    let zone = a.zone.as_deref().map(|z| time::parse_zone(z).map_err(Error::from)).transpose()?;
    let mut named = ledger.settings()?;
    named.me = me.clone().or(named.me);
    named.partner = partner.clone().or(named.partner);
    super::config::two_people(&named)?;
    let tx = ledger.write()?;
    for (key, value) in [("me", me.clone()), ("partner", partner.clone()), ("zone", zone.map(|z| z.name().to_string()))]
    {
        if let Some(v) = value
            && tx.setting(key)?.as_deref() != Some(v.as_str())
        {
            tx.set_setting(&new_uuid(), key, &v, ctx.now)?;
        }
    }
    tx.commit()?;
    let settings = ledger.settings()?;
    if ctx.env.json {
        return write_json(out, &settings_json(&settings));
    }
    // A path is the user's bytes: shown, never obeyed by the terminal.
    let path = ledger.path.as_ref().map(|p| crate::domain::time::scrub(&p.display().to_string())).unwrap_or_default();
    writeln!(
        out,
        "ledger ready  {path}\n              {} & {} · home zone {}",
        settings.default_by(),
        settings.default_to(),
        settings.zone.name()
    )?;
    writeln!(out, "next: troth promise \"date night every Friday\" --terms \"every fri 19:00\"")?;
    Ok(())
}
