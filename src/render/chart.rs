//! Charts: weekly trust as an SVG line chart (`trend --svg`), drawn with
//! plotters to a private file.

use crate::domain::report::Week;
use crate::domain::trust::Group;
use crate::error::{Error, Result};
use plotters::prelude::*;
use std::path::Path;

/// A line chart of weekly trust: dated x axis, 0–1 y axis.
pub fn trend_svg(
    ledger: &Path,
    path: &Path,
    subject: &str,
    points: &[(Week, Option<Group>)],
    start: f64,
) -> Result<()> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (800, 400)).into_drawing_area();
        let draw = |e: &dyn std::fmt::Display| Error::failure(format!("could not draw the chart: {e}"));
        root.fill(&WHITE).map_err(|e| draw(&e))?;
        let n = points.len().max(1);
        let labels: Vec<String> = points.iter().map(|(w, _)| w.monday.format("%-d %b").to_string()).collect();
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("{subject} trust, week by week"), ("sans-serif", 22))
            .margin(16)
            .x_label_area_size(36)
            .y_label_area_size(44)
            .build_cartesian_2d(0usize..n.saturating_sub(1).max(1), 0f64..1f64)
            .map_err(|e| draw(&e))?;
        chart
            .configure_mesh()
            .x_labels(n.min(12))
            .x_label_formatter(&|i| labels.get(*i).cloned().unwrap_or_default())
            .y_labels(6)
            .y_label_formatter(&|v| format!("{v:.1}"))
            .y_desc("trust")
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(|e| draw(&e))?;
        chart
            .draw_series(LineSeries::new(
                (0..n).map(|i| (i, start)),
                ShapeStyle::from(&RGBColor(180, 180, 180)).stroke_width(1),
            ))
            .map_err(|e| draw(&e))?;
        let values: Vec<(usize, f64)> =
            points.iter().enumerate().filter_map(|(i, (_, g))| g.map(|g| (i, g.trust))).collect();
        chart
            .draw_series(LineSeries::new(values.clone(), ShapeStyle::from(&RGBColor(40, 110, 160)).stroke_width(3)))
            .map_err(|e| draw(&e))?;
        chart
            .draw_series(values.iter().map(|&(i, v)| Circle::new((i, v), 4, RGBColor(40, 110, 160).filled())))
            .map_err(|e| draw(&e))?;
        root.present().map_err(|e| draw(&e))?;
    }
    crate::ledger::files::write_output(ledger, path, svg.as_bytes())
}
