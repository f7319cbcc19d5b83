//! Rendering helpers: calm tables that fit the terminal, gentle colour (only on
//! a terminal and never with NO_COLOR — anstream strips it otherwise),
//! sparklines and numbers as people read them.

pub mod chart;
pub mod due;
pub mod history;
pub mod html;
pub mod json;
pub mod names;
pub mod over;
pub mod plain;
pub mod report;
pub mod stream_table;
pub mod voice;
pub mod words;

use anstyle::{AnsiColor, Style};
use std::sync::atomic::{AtomicUsize, Ordering};
use tabled::builder::Builder;
use tabled::settings::peaker::Priority;
use tabled::settings::{Style as TableStyle, Width};

/// The width tables wrap to when nothing else is known.
pub const WIDTH: usize = 80;

/// The terminal's width, set once by `main` (0: not a terminal — tables are
/// then never wrapped, so a pipe gets whole rows).
static TERMINAL_WIDTH: AtomicUsize = AtomicUsize::new(WIDTH);

/// Called by `main` with the width of the terminal stdout is, or None when
/// stdout is not a terminal.
pub fn set_width(width: Option<usize>) {
    TERMINAL_WIDTH.store(width.unwrap_or(0), Ordering::Relaxed);
}

/// Whether tables are wrapped (stdout is a terminal): `stream_table` is
/// only for when they are not.
pub fn wraps() -> bool {
    TERMINAL_WIDTH.load(Ordering::Relaxed) > 0
}

/// A borderless table with a header, wrapped to fit the terminal (the widest
/// column gives way first); not wrapped at all when piped.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut b = Builder::default();
    b.push_record(header.iter().map(|h| h.to_string()));
    for r in rows {
        b.push_record(r.iter().map(|c| crate::domain::time::scrub(c)));
    }
    let mut t = b.build();
    t.with(TableStyle::blank());
    let width = TERMINAL_WIDTH.load(Ordering::Relaxed);
    if width > 0 {
        t.with(Width::wrap(width.max(20)).priority(Priority::max(true)).keep_words(true));
    }
    t.to_string()
}

pub const DIM: Style = Style::new().dimmed();
pub const BOLD: Style = Style::new().bold();
pub const KEPT: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)));
pub const CALM: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan)));

pub fn paint(style: Style, s: &str) -> String {
    format!("{style}{}{style:#}", crate::domain::time::scrub(s))
}

/// Trust to two places, as the screens show it: rounded half away from
/// zero like every other figure (0.625 → "0.63"); `{:.2}` alone rounds an
/// exact half to even ("0.62"), which no one checking by hand expects.
pub fn trust2(x: f64) -> String {
    format!("{:.2}", (x * 100.0).round() / 100.0)
}

/// Trust to four places, as JSON carries it (`json::round4`).
pub fn trust4(x: f64) -> String {
    format!("{:.4}", json::round4(x))
}

pub fn percent(x: Option<f64>) -> String {
    match x {
        Some(r) => format!("{}%", (r * 100.0).round() as i64),
        None => "—".into(),
    }
}

/// ▲0.03 / ▼0.08 / ±0.00.
pub fn change(x: f64) -> String {
    let r = (x * 100.0).round() / 100.0;
    if r > 0.0 {
        format!("▲{r:.2}")
    } else if r < 0.0 {
        format!("▼{:.2}", -r)
    } else {
        "±0.00".into()
    }
}

/// A one-line sparkline of values in [0, 1]; None is a gap.
pub fn sparkline(values: &[Option<f64>]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    values
        .iter()
        .map(|v| match v {
            Some(x) => BARS[((x.clamp(0.0, 1.0) * 8.0).floor() as usize).min(7)],
            None => ' ',
        })
        .collect()
}

/// "—" for zero in count columns, as the report sketch shows.
pub fn count(n: u32) -> String {
    if n == 0 { "—".into() } else { n.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_spans_the_bars() {
        assert_eq!(sparkline(&[Some(0.0), Some(0.5), Some(1.0), None]), "▁▅█ ");
    }

    #[test]
    fn changes_round_once() {
        assert_eq!(change(0.0349), "▲0.03");
        assert_eq!(change(-0.08), "▼0.08");
        assert_eq!(change(0.001), "±0.00");
    }
}
