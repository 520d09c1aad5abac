//! A catalogue file (CSV or XLSX cells): the columns of the shipped `programs.csv` —
//! `ministry,program,target,summary,source` — at least, and more when present, under English
//! or Korean headers. The export writes the same columns, so a file exported, edited in a
//! spreadsheet and imported again updates the same programmes (by `id`, in Korean `사업ID` —
//! not `번호`, which Korean spreadsheets use for row numbers).

use crate::format::{parse_day, parse_won};
use crate::programme::catalogue::{Programme, TargetUnit, Window, year};
use crate::sheet::{Column, LineError, blank, col, positions};
use crate::topic::Topic;

/// Every column, in the order an export writes them.
pub const COLUMNS: [Column; 16] = [
    col("id", &[], "사업ID"),
    col("year", &[], "연도"),
    col("ministry", &[], "부처"),
    col("program", &["programme", "name"], "사업명"),
    col("target", &[], "지원대상"),
    col("summary", &[], "사업개요"),
    col("target_units", &[], "대상단위"),
    col("topics", &[], "주제"),
    col("eligibility", &[], "자격요건"),
    col("amount_min", &[], "최소지원액"),
    col("amount_max", &[], "최대지원액"),
    col("years", &[], "지원기간"),
    col("opens_on", &[], "접수시작일"),
    col("closes_on", &[], "접수마감일"),
    col("source", &[], "출처"),
    col("as_of", &[], "기준일"),
];

/// Index of each column in [`COLUMNS`].
#[derive(Clone, Copy)]
enum C {
    Id,
    Year,
    Ministry,
    Program,
    Target,
    Summary,
    Units,
    Topics,
    Eligibility,
    AmountMin,
    AmountMax,
    Years,
    OpensOn,
    ClosesOn,
    Source,
    AsOf,
}

/// A row read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    pub line: usize,
    pub id: Option<i64>,
    pub year: i32,
    pub programme: Programme,
}

fn list<T>(cell: &str, parse: fn(&str) -> Option<T>, what: &str) -> Result<Vec<T>, String> {
    cell.split([',', ';', '/', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| parse(s).ok_or_else(|| format!("{s:?} is not a {what}")))
        .collect()
}

/// Reads the rows of a catalogue file (its first row the header). `default_year` is the
/// year of rows without one. Every wrong line is reported with its number; a row that
/// names the same programme and year as an earlier one is wrong too.
pub fn read(
    rows: Vec<(usize, Vec<String>)>,
    default_year: i32,
) -> Result<Vec<FileRow>, Vec<LineError>> {
    let mut rows = rows.into_iter();
    let Some((_, header)) = rows.next() else {
        return Err(vec![(1, "the file is empty".into())]);
    };
    let at = positions(&header, &COLUMNS);
    if at[C::Ministry as usize].is_none() || at[C::Program as usize].is_none() {
        return Err(vec![(
            1,
            "the header needs ministry and program (부처, 사업명)".into(),
        )]);
    }
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    let mut seen = std::collections::HashSet::new();
    for (line, cells) in rows {
        if blank(&cells) {
            continue;
        }
        let cell = |c: C| crate::sheet::cell(&at, &cells, c as usize);
        match row(&cell, default_year) {
            Ok((id, y, p)) => {
                let key = (id, y, p.ministry.clone(), p.name.clone());
                let twice = match id {
                    Some(_) => !seen.insert((key.0, key.1, String::new(), String::new())),
                    None => !seen.insert(key),
                };
                if twice {
                    errors.push((line, "the same programme and year appear twice".into()));
                } else {
                    out.push(FileRow {
                        line,
                        id,
                        year: y,
                        programme: p,
                    });
                }
            }
            Err(e) => errors.push((line, e)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn row<'a>(
    cell: &dyn Fn(C) -> &'a str,
    default_year: i32,
) -> Result<(Option<i64>, i32, Programme), String> {
    let id = match cell(C::Id) {
        "" => None,
        s => Some(
            s.parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("{s:?} is not a programme id"))?,
        ),
    };
    let y = match cell(C::Year) {
        "" => default_year,
        s => s.parse().map_err(|_| format!("{s:?} is not a year"))?,
    };
    let y = year(y).map_err(|e| e.to_string())?;
    let amount = |c: C| match cell(c) {
        "" => Ok(None),
        s => parse_won(s).map(Some).ok_or_else(|| {
            format!(
                "{s:?} is not an amount of won ({})",
                COLUMNS[c as usize].name
            )
        }),
    };
    let day = |c: C| match cell(c) {
        "" => Ok(None),
        s => parse_day(s)
            .map(Some)
            .ok_or_else(|| format!("{s:?} is not a date ({})", COLUMNS[c as usize].name)),
    };
    let years = match cell(C::Years) {
        "" => None,
        s => Some(
            s.trim_end_matches('년')
                .parse::<u8>()
                .map_err(|_| format!("{s:?} is not a number of years"))?,
        ),
    };
    let window = match (day(C::OpensOn)?, day(C::ClosesOn)?) {
        (Some(opens), Some(closes)) => Some(Window { opens, closes }),
        (None, None) => None,
        _ => return Err("an application window needs both opens_on and closes_on".into()),
    };
    let p = Programme::new(Programme {
        ministry: cell(C::Ministry).into(),
        name: cell(C::Program).into(),
        summary: cell(C::Summary).into(),
        target: cell(C::Target).into(),
        target_units: list(cell(C::Units), TargetUnit::parse, "target unit")?,
        eligibility: cell(C::Eligibility).into(),
        amount_min: amount(C::AmountMin)?,
        amount_max: amount(C::AmountMax)?,
        years,
        window,
        topics: list(cell(C::Topics), Topic::parse_any, "topic")?,
        source: cell(C::Source).into(),
        as_of: day(C::AsOf)?,
    })
    .map_err(|e| format!("{} ({})", e, e.field()))?;
    Ok((id, y, p))
}

/// The cells of an entry in [`COLUMNS`] order, for an export; units and topics by their
/// Korean names when `korean` (both read back).
pub fn cells(id: i64, year: i32, p: &Programme, korean: bool) -> Vec<String> {
    let opt = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    vec![
        id.to_string(),
        year.to_string(),
        p.ministry.clone(),
        p.name.clone(),
        p.target.clone(),
        p.summary.clone(),
        p.target_units
            .iter()
            .map(|u| if korean { u.korean() } else { u.as_str() })
            .collect::<Vec<_>>()
            .join(","),
        p.topics
            .iter()
            .map(|t| if korean { t.korean() } else { t.as_str() })
            .collect::<Vec<_>>()
            .join(","),
        p.eligibility.clone(),
        opt(p.amount_min),
        opt(p.amount_max),
        p.years.map(|y| y.to_string()).unwrap_or_default(),
        p.window.map(|w| w.opens.to_string()).unwrap_or_default(),
        p.window.map(|w| w.closes.to_string()).unwrap_or_default(),
        p.source.clone(),
        p.as_of.map(|d| d.to_string()).unwrap_or_default(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn rows(lines: &[&[&str]]) -> Vec<(usize, Vec<String>)> {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| (i + 1, l.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    #[test]
    fn the_shipped_columns_are_enough() {
        let read = read(
            rows(&[
                &["ministry", "program", "target", "summary", "source"],
                &[
                    "행정안전부",
                    "마을공방 육성사업",
                    "시·군·구",
                    "유휴시설 활용 일자리",
                    "https://www.mois.go.kr",
                ],
            ]),
            2025,
        )
        .unwrap();
        assert_eq!(read[0].year, 2025);
        assert_eq!(read[0].id, None);
        assert_eq!(read[0].programme.target_units, vec![TargetUnit::Sigungu]);
        assert_eq!(
            read[0].programme.topics,
            vec![Topic::Jobs, Topic::Community]
        );
    }

    #[test]
    fn an_export_reads_back_as_the_same_entries() {
        let original = read(
            rows(&[
                &[
                    "부처",
                    "사업명",
                    "지원대상",
                    "최대지원액",
                    "주제",
                    "대상단위",
                    "접수시작일",
                    "접수마감일",
                    "지원기간",
                    "연도",
                ],
                &[
                    "국토교통부",
                    "소규모 재생",
                    "읍·면·동",
                    "5억원",
                    "주거·빈집, safety",
                    "emd, 마을",
                    "2026.03.02",
                    "2026-04-30",
                    "3년",
                    "2026",
                ],
            ]),
            2025,
        )
        .unwrap();
        let p = &original[0].programme;
        assert_eq!(p.amount_max, Some(500_000_000));
        assert_eq!(p.topics, vec![Topic::Housing, Topic::Safety]);
        assert_eq!(p.target_units, vec![TargetUnit::Emd, TargetUnit::Village]);
        assert_eq!(p.window.unwrap().opens, date!(2026 - 03 - 02));
        assert_eq!(p.years, Some(3));
        let header: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
        let again = read(
            vec![
                (1, header.iter().map(|s| s.to_string()).collect()),
                (2, cells(7, original[0].year, p, false)),
                (3, cells(8, original[0].year, p, true)),
            ],
            2000,
        )
        .unwrap();
        assert_eq!(&again[1].programme, p, "Korean names read back");
        assert_eq!(again[0].id, Some(7));
        assert_eq!(again[0].year, 2026);
        assert_eq!(&again[0].programme, p);
    }

    #[test]
    fn every_bad_line_is_named() {
        let errors = read(
            rows(&[
                &[
                    "ministry",
                    "program",
                    "amount_max",
                    "topics",
                    "opens_on",
                    "year",
                    "id",
                ],
                &["행정안전부", "", "", "", "", "", ""],
                &["행정안전부", "가", "열네억", "", "", "", ""],
                &["행정안전부", "나", "", "우주", "", "", ""],
                &["행정안전부", "다", "", "", "2026-01-01", "", ""],
                &["행정안전부", "라", "", "", "", "1999", ""],
                &["행정안전부", "마", "", "", "", "", "-3"],
                &["행정안전부", "바", "", "", "", "", ""],
                &["행정안전부", "바", "", "", "", "", ""],
            ]),
            2025,
        )
        .unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.0).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6, 7, 9], "{errors:?}");
        assert!(read(rows(&[&["부처", "개요"]]), 2025).is_err());
        assert!(read(vec![], 2025).is_err());
    }
}
