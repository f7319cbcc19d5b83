//! The trust trend as an SVG chart — the one drawing behind `trend --svg` and
//! the weekly page. Each point sits at its week's end (docs/design.md §3: the
//! trend is the score after every event up to the Monday 00:00 that ends the
//! week); pauses are shaded spans and amends dashed lines, each with a title
//! and listed in the text alternative. Markup comes from maud, so every
//! name, slug and term is escaped.

use crate::domain::time::Instant;
use maud::{Markup, PreEscaped, html};

/// One week of the trend.
#[derive(Clone, Debug)]
pub struct Point {
    /// `2026-W47`.
    pub label: String,
    /// "16–22 Nov".
    pub days: String,
    pub start: Instant,
    pub end: Instant,
    /// None before anything was scored.
    pub trust: Option<f64>,
    pub rate: Option<f64>,
    /// The current week: its value is so far.
    pub so_far: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkKind {
    Paused,
    Amended,
}

/// A pause (from `at` to `until`, None while still paused) or an amend
/// (taking effect at `at`) of one promise.
#[derive(Clone, Debug)]
pub struct Mark {
    pub kind: MarkKind,
    pub slug: String,
    pub at: Instant,
    pub until: Option<Instant>,
    /// Words for people: "paused 3 Nov – 17 Nov", "amended to 1/week from 2 Nov".
    pub words: String,
}

#[derive(Clone, Debug)]
pub struct Chart {
    /// "overall trust", "Alex's trust", "weekends trust".
    pub title: String,
    pub points: Vec<Point>,
    pub marks: Vec<Mark>,
    /// Where trust starts (`trust.start`): drawn as a faint reference line.
    pub baseline: f64,
}

const W: f64 = 640.0;
const H: f64 = 320.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 26.0;
const TOP: f64 = 34.0;
const BOTTOM: f64 = 46.0;

/// Colours for a standalone SVG file; the weekly page styles the same classes
/// from its own stylesheet. Both follow the reader's light or dark scheme.
pub const STYLE: &str = "\
.c-bg{fill:#ffffff}.c-axis.c-title{font-size:15px;font-weight:600}.c-grid{stroke:#d6d9de;stroke-width:1}.c-axis{fill:#3d4450;font:13px system-ui,sans-serif}\
.c-base{stroke:#6b7380;stroke-width:1;stroke-dasharray:4 4}.c-line{fill:none;stroke:#1f5f8b;stroke-width:3;stroke-linejoin:round}\
.c-dot{fill:#1f5f8b}.c-now{fill:#ffffff;stroke:#1f5f8b;stroke-width:2.5}.c-pause{fill:#8a6d1f;fill-opacity:.14}\
.c-amend{stroke:#7a4e9c;stroke-width:2;stroke-dasharray:5 3}.c-amend-tip{fill:#7a4e9c}\
@media (prefers-color-scheme:dark){.c-bg{fill:#16191d}.c-grid{stroke:#3a4048}.c-axis{fill:#c9ced6}\
.c-base{stroke:#9aa3ad}.c-line{stroke:#7cc0f0}.c-dot{fill:#7cc0f0}.c-now{fill:#16191d;stroke:#7cc0f0}\
.c-pause{fill:#e0c060;fill-opacity:.16}.c-amend{stroke:#c9a2ea}.c-amend-tip{fill:#c9a2ea}}";

impl Chart {
    fn span(&self) -> Option<(Instant, Instant)> {
        Some((self.points.first()?.start, self.points.last()?.end))
    }

    fn x(&self, t: Instant) -> f64 {
        let Some((a, b)) = self.span() else { return LEFT };
        let total = (b - a).num_seconds().max(1) as f64;
        let t = t.clamp(a, b);
        LEFT + (W - LEFT - RIGHT) * ((t - a).num_seconds() as f64 / total)
    }

    fn y(v: f64) -> f64 {
        TOP + (H - TOP - BOTTOM) * (1.0 - v.clamp(0.0, 1.0))
    }

    /// The marks that fall in the chart's span.
    pub fn visible_marks(&self) -> Vec<&Mark> {
        let Some((a, b)) = self.span() else { return Vec::new() };
        self.marks
            .iter()
            .filter(|m| match m.kind {
                MarkKind::Amended => a < m.at && m.at <= b,
                MarkKind::Paused => m.at < b && m.until.is_none_or(|u| u > a),
            })
            .collect()
    }

    /// One sentence for screen readers and the SVG's description.
    pub fn summary(&self) -> String {
        let known: Vec<(&Point, f64)> = self.points.iter().filter_map(|p| p.trust.map(|t| (p, t))).collect();
        let mut s = match (known.first(), known.last()) {
            (Some((p0, v0)), Some((p1, v1))) => format!(
                "{}, {} weeks from {} to {}: {} at the end of week {}, {} at the end of week {}{}.",
                self.title,
                self.points.len(),
                self.points.first().map(|p| p.label.as_str()).unwrap_or(""),
                self.points.last().map(|p| p.label.as_str()).unwrap_or(""),
                super::trust2(*v0),
                short_week(&p0.label),
                super::trust2(*v1),
                short_week(&p1.label),
                if p1.so_far { " (so far)" } else { "" },
            ),
            _ => format!("{}: nothing has been scored yet in these weeks.", self.title),
        };
        for m in self.visible_marks() {
            s.push_str(&format!(" {}: {}.", m.slug, m.words));
        }
        s
    }

    /// The chart as SVG. `standalone` adds the XML namespace and its own
    /// colours (for a file); inline in the page the page's stylesheet styles it.
    pub fn svg(&self, standalone: bool, id: &str) -> Markup {
        let n = self.points.len();
        let every = n.div_ceil(12).max(1);
        let plot_bottom = H - BOTTOM;
        let title_id = format!("{id}-title");
        let desc_id = format!("{id}-desc");
        let segments = self.segments();
        let marks = self.visible_marks();
        html! {
            svg xmlns=[standalone.then_some("http://www.w3.org/2000/svg")]
                viewBox={ "0 0 " (W) " " (H) } width=[standalone.then_some(W)] height=[standalone.then_some(H)]
                role="img" aria-labelledby={ (title_id) " " (desc_id) } class="chart" {
                title id=(title_id) { (self.title) ", week by week" }
                desc id=(desc_id) { (self.summary()) }
                @if standalone { style { (PreEscaped(STYLE)) } }
                rect class="c-bg" x="0" y="0" width=(W) height=(H) {}
                @if standalone {
                    // A file stands alone: it carries its own visible title.
                    text class="c-axis c-title" x=(LEFT) y="16" { (self.title) ", week by week" }
                }
                @for m in marks.iter().filter(|m| m.kind == MarkKind::Paused) {
                    @let x0 = self.x(m.at);
                    @let x1 = m.until.map(|u| self.x(u)).unwrap_or(W - RIGHT);
                    rect class="c-pause" x=(r1(x0)) y=(TOP) width=(r1((x1 - x0).max(2.0))) height=(r1(plot_bottom - TOP)) {
                        title { (m.slug) " " (m.words) }
                    }
                }
                @for v in [0.0, 0.25, 0.5, 0.75, 1.0] {
                    line class="c-grid" x1=(LEFT) x2=(W - RIGHT) y1=(r1(Self::y(v))) y2=(r1(Self::y(v))) {}
                    text class="c-axis" x=(LEFT - 8.0) y=(r1(Self::y(v) + 4.0)) text-anchor="end" { (format!("{v:.2}")) }
                }
                line class="c-base" x1=(LEFT) x2=(W - RIGHT) y1=(r1(Self::y(self.baseline))) y2=(r1(Self::y(self.baseline))) {}
                @for (i, p) in self.points.iter().enumerate() {
                    @if (n - 1 - i).is_multiple_of(every) {
                        text class={ "c-axis c-x" @if ((n - 1 - i) / every) % 2 == 1 { " c-x-alt" } }
                            x=(r1(self.x(p.end))) y=(H - BOTTOM + 20.0) text-anchor="middle" { (short_week(&p.label)) }
                    }
                }
                text class="c-axis c-xname" x=(r1((LEFT + W - RIGHT) / 2.0)) y=(H - 4.0) text-anchor="middle" {
                    "week (each point is trust at the week's end)"
                }
                @for m in marks.iter().filter(|m| m.kind == MarkKind::Amended) {
                    @let x = r1(self.x(m.at));
                    g {
                        title { (m.slug) " " (m.words) }
                        line class="c-amend" x1=(x) x2=(x) y1=(TOP) y2=(plot_bottom) {}
                        path class="c-amend-tip" d={ "M" (x - 5.0) " " (TOP - 8.0) "h10l-5 8z" } {}
                    }
                }
                @for seg in &segments {
                    @if seg.len() > 1 {
                        path class="c-line" d=(path_d(seg)) {}
                    }
                }
                @for p in &self.points {
                    @if let Some(v) = p.trust {
                        circle class=(if p.so_far { "c-now" } else { "c-dot" }) cx=(r1(self.x(p.end))) cy=(r1(Self::y(v))) r="4.5" {
                            title { (p.label) " (" (p.days) "): " (super::trust2(v)) @if p.so_far { " so far" } }
                        }
                    }
                }
            }
        }
    }

    /// Runs of consecutive scored weeks, as (x, y) points.
    fn segments(&self) -> Vec<Vec<(f64, f64)>> {
        let mut out: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for p in &self.points {
            match p.trust {
                Some(v) => out.last_mut().expect("one").push((self.x(p.end), Self::y(v))),
                None if out.last().is_some_and(|s| !s.is_empty()) => out.push(Vec::new()),
                None => {}
            }
        }
        out
    }

    /// A standalone SVG document.
    pub fn document(&self) -> String {
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n", self.svg(true, "trend").into_string())
    }
}

/// `2026-W07` → `W7`.
pub fn short_week(label: &str) -> String {
    label.split("-W").nth(1).map(|w| format!("W{}", w.trim_start_matches('0'))).unwrap_or_else(|| label.into())
}

fn r1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn path_d(seg: &[(f64, f64)]) -> String {
    let mut d = String::new();
    for (i, (x, y)) in seg.iter().enumerate() {
        d.push_str(&format!("{}{} {}", if i == 0 { "M" } else { "L" }, r1(*x), r1(*y)));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_rfc3339;

    fn t(s: &str) -> Instant {
        parse_rfc3339(s).unwrap()
    }

    fn chart() -> Chart {
        let p = |label: &str, s: &str, e: &str, v: Option<f64>| Point {
            label: label.into(),
            days: String::new(),
            start: t(s),
            end: t(e),
            trust: v,
            rate: None,
            so_far: false,
        };
        Chart {
            title: "overall trust".into(),
            points: vec![
                p("2026-W46", "2026-11-09T00:00:00Z", "2026-11-16T00:00:00Z", Some(0.5)),
                p("2026-W47", "2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z", Some(0.6)),
            ],
            marks: vec![Mark {
                kind: MarkKind::Amended,
                slug: "<b>".into(),
                at: t("2026-11-16T00:00:00Z"),
                until: None,
                words: "amended to 1/week".into(),
            }],
            baseline: 0.5,
        }
    }

    #[test]
    fn points_sit_at_week_ends() {
        let c = chart();
        // The last point is at the right edge of the plot, the first one a
        // week in: neither at a week's start.
        assert_eq!(c.x(c.points[1].end), W - RIGHT);
        assert!((c.x(c.points[0].end) - (LEFT + (W - LEFT - RIGHT) / 2.0)).abs() < 1e-9);
    }

    #[test]
    fn marks_are_escaped_and_described() {
        let svg = chart().document();
        assert!(svg.contains("&lt;b&gt;"), "{svg}");
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("amended to 1/week"));
        assert!(svg.contains("class=\"c-amend\""));
    }
}
