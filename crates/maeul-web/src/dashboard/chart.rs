//! Bar charts drawn on the server as SVG (no script, no external host): a label line and a bar
//! per row, bars scaled to the largest count. The table beside each chart carries the same
//! numbers for screen readers, so the drawing itself is hidden from them.

/// The width of the drawing, in its own units.
pub(crate) const WIDTH: u32 = 640;
/// The longest bar, leaving room for the count after it.
const LONGEST: u32 = 540;
/// The height of one row: a label line, then the bar.
const ROW: u32 = 44;

pub(crate) struct Bar {
    pub label: String,
    pub count: String,
    /// Baseline of the label.
    pub label_y: u32,
    /// Top of the bar.
    pub bar_y: u32,
    pub width: u32,
    /// Where the count is written, after the bar.
    pub count_x: u32,
    /// Baseline of the count.
    pub count_y: u32,
}

pub(crate) struct Chart {
    pub height: u32,
    pub bars: Vec<Bar>,
}

/// A chart of `rows` (label, count, the count as shown).
pub(crate) fn chart(rows: Vec<(String, i64, String)>) -> Chart {
    let max = rows.iter().map(|(_, n, _)| *n).max().unwrap_or(0).max(1);
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, n, count))| {
            let top = i as u32 * ROW;
            // A count above zero stays visible however small beside the largest.
            let width = match n {
                n if n <= 0 => 0,
                n => ((n as f64 / max as f64) * f64::from(LONGEST))
                    .round()
                    .max(2.0) as u32,
            };
            Bar {
                label,
                count,
                label_y: top + 14,
                bar_y: top + 20,
                width,
                count_x: width + 8,
                count_y: top + 33,
            }
        })
        .collect::<Vec<_>>();
    Chart {
        height: (bars.len() as u32 * ROW).max(ROW),
        bars,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: i64) -> (String, i64, String) {
        (format!("r{n}"), n, n.to_string())
    }

    #[test]
    fn bars_scale_to_the_largest_and_small_ones_stay_visible() {
        let c = chart(vec![row(1000), row(500), row(1), row(0)]);
        let widths: Vec<u32> = c.bars.iter().map(|b| b.width).collect();
        assert_eq!(widths, vec![LONGEST, LONGEST / 2, 2, 0]);
        assert_eq!(c.height, 4 * ROW);
        assert!(c.bars.iter().all(|b| b.count_x + 40 <= WIDTH));
        assert_eq!(c.bars[1].bar_y, ROW + 20);
    }

    #[test]
    fn an_empty_panel_draws_no_bar() {
        let c = chart(vec![row(0), row(0)]);
        assert!(c.bars.iter().all(|b| b.width == 0));
    }
}
