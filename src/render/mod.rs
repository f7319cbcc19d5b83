//! Rendering helpers: calm tables that fit 80 columns, gentle colour (only on
//! a terminal and never with NO_COLOR — anstream strips it otherwise),
//! sparklines and numbers as people read them.

pub mod chart;
pub mod html;

use anstyle::{AnsiColor, Style};
use tabled::builder::Builder;
use tabled::settings::peaker::Priority;
use tabled::settings::{Style as TableStyle, Width};

pub const WIDTH: usize = 80;

/// A borderless table with a header, wrapped to fit 80 columns (the widest
/// column gives way first).
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut b = Builder::default();
    b.push_record(header.iter().map(|h| h.to_string()));
    for r in rows {
        b.push_record(r.clone());
    }
    let mut t = b.build();
    t.with(TableStyle::blank()).with(Width::wrap(WIDTH).priority(Priority::max(true)).keep_words(true));
    t.to_string()
}

pub const DIM: Style = Style::new().dimmed();
pub const BOLD: Style = Style::new().bold();
pub const KEPT: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)));
pub const CALM: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan)));

pub fn paint(style: Style, s: &str) -> String {
    format!("{style}{s}{style:#}")
}

/// Trust to two places, as the screens show it.
pub fn trust2(x: f64) -> String {
    format!("{x:.2}")
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
