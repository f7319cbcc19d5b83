//! The borderless table of `render::table`, written one row at a time: the
//! caller measures every row first (`Columns::fit`), then writes them
//! (`Columns::write_row`), so ten years of `log` rows are never held
//! (issue 17). Only for output that is not wrapped (not a terminal); the
//! bytes are those `render::table` gives.

use std::io::{self, Write};
use tabled::grid::util::string::{get_line_width, get_lines};

/// The width of each column so far.
pub struct Columns(Vec<usize>);

impl Columns {
    /// Columns as wide as the header's cells.
    pub fn new(header: &[&str]) -> Columns {
        let mut c = Columns(vec![0; header.len()]);
        c.fit(header);
        c
    }

    /// Widen the columns to hold one more row.
    pub fn fit<S: AsRef<str>>(&mut self, row: &[S]) {
        for (w, cell) in self.0.iter_mut().zip(row) {
            let cell = crate::domain::time::scrub(cell.as_ref());
            *w = get_lines(&cell).map(|l| get_line_width(&l)).fold(*w, usize::max);
        }
    }

    /// One row (as many lines as its tallest cell), each line ending in a
    /// newline: one space either side of a cell, one between columns.
    pub fn write_row<S: AsRef<str>>(&self, out: &mut dyn Write, row: &[S]) -> io::Result<()> {
        let cells: Vec<String> = row.iter().map(|c| crate::domain::time::scrub(c.as_ref())).collect();
        let lines: Vec<Vec<String>> = cells.iter().map(|c| get_lines(c).map(|l| l.into_owned()).collect()).collect();
        let height = lines.iter().map(Vec::len).max().unwrap_or(1);
        for i in 0..height {
            let mut line = String::new();
            for (c, (w, cell)) in self.0.iter().zip(&lines).enumerate() {
                let text = cell.get(i).map(String::as_str).unwrap_or("");
                if c > 0 {
                    line.push(' ');
                }
                line.push(' ');
                line.push_str(text);
                line.extend(std::iter::repeat_n(' ', w.saturating_sub(get_line_width(text)) + 1));
            }
            writeln!(out, "{line}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tabled::builder::Builder;
    use tabled::settings::Style;

    /// `render::table` as a pipe gets it (no wrapping).
    fn whole(header: &[&str], rows: &[Vec<String>]) -> String {
        let mut b = Builder::default();
        b.push_record(header.iter().map(|h| h.to_string()));
        for r in rows {
            b.push_record(r.iter().map(|c| crate::domain::time::scrub(c)));
        }
        let mut t = b.build();
        t.with(Style::blank());
        format!("{t}\n")
    }

    #[test]
    fn rows_written_one_at_a_time_are_the_whole_tables_bytes() {
        let header = ["#", "when", "note"];
        let rows: Vec<Vec<String>> = [
            ["1", "Wed 23 Nov 2016 00:33", ""],
            ["100000", "今日 🙂", "two\nlines"],
            ["7", "", "tab\there · trailing\n"],
            ["8", "ctrl \u{7} \u{202e}x", "a"],
            ["", "x", "\n\nthree"],
        ]
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
        let mut cols = Columns::new(&header);
        rows.iter().for_each(|r| cols.fit(r));
        let mut out = Vec::new();
        cols.write_row(&mut out, &header).unwrap();
        for r in &rows {
            cols.write_row(&mut out, r).unwrap();
        }
        assert_eq!(String::from_utf8(out).unwrap(), whole(&header, &rows));
    }
}
