//! The rows of a spreadsheet or CSV file that officials exchange: columns found by their
//! English or Korean header, wherever they stand, and errors that name the line.

/// A line number and what is wrong on it.
pub type LineError = (usize, String);

/// A column: its English header, other English spellings, and the Korean header.
pub struct Column {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub korean: &'static str,
}

pub const fn col(
    name: &'static str,
    aliases: &'static [&'static str],
    korean: &'static str,
) -> Column {
    Column {
        name,
        aliases,
        korean,
    }
}

/// Where each of `columns` stands in a header row; spaces, case and a byte-order mark do
/// not matter (`구성 단계` is `구성단계`).
pub fn positions(header: &[String], columns: &[Column]) -> Vec<Option<usize>> {
    let header: Vec<String> = header
        .iter()
        .map(|h| {
            h.trim()
                .trim_start_matches('\u{feff}')
                .replace(' ', "")
                .to_lowercase()
        })
        .collect();
    columns
        .iter()
        .map(|c| {
            header
                .iter()
                .position(|h| h == c.name || h == c.korean || c.aliases.iter().any(|a| h == a))
        })
        .collect()
}

/// The trimmed cell of column `i` (by [`positions`]), empty when the column or cell is missing.
pub fn cell<'a>(at: &[Option<usize>], cells: &'a [String], i: usize) -> &'a str {
    at.get(i)
        .copied()
        .flatten()
        .and_then(|c| cells.get(c))
        .map(|s| s.trim())
        .unwrap_or_default()
}

/// A row with nothing in it, which files often end with.
pub fn blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: [Column; 2] = [
        col("region_code", &["code"], "행정기관코드"),
        col("model", &[], "조직모형"),
    ];

    #[test]
    fn columns_are_found_by_either_name_in_any_order() {
        let header = vec!["\u{feff}조직 모형".to_owned(), "Code".to_owned()];
        assert_eq!(positions(&header, &COLS), vec![Some(1), Some(0)]);
        let cells = vec![" 기본형 ".to_owned()];
        let at = positions(&header, &COLS);
        assert_eq!(cell(&at, &cells, 1), "기본형");
        assert_eq!(cell(&at, &cells, 0), "");
        assert!(blank(&[" ".to_owned(), String::new()]));
    }
}
