//! The MOIS 행정기관코드 release (`KIKcd_H`): its rows become the region registry.
//!
//! The file lists every si/do, si/gun/gu and eup/myeon/dong with creation and retirement
//! dates, plus 출장소 (branch offices) that are not regions, and for Sejong a si/gun/gu-level
//! placeholder without a name: Sejong has no si/gun/gu, so its eup/myeon/dong hang from the
//! si/do itself.

use std::collections::{BTreeMap, HashMap};

use super::{Level, Region, RegionCode, RegionKind, RegionPath};

/// One row of a `KIKcd_H` file: 행정동코드, 시도명, 시군구명, 읍면동명, 생성일자, 말소일자.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KikcdRow {
    /// 1-based line (or spreadsheet row) number, for error messages.
    pub line: usize,
    pub code: String,
    pub sido: String,
    pub sigungu: String,
    pub emd: String,
    pub created: String,
    pub retired: String,
}

impl KikcdRow {
    /// Builds a row from the six columns in file order; missing trailing cells are empty.
    pub fn from_cells(line: usize, cells: &[String]) -> Self {
        let cell = |i: usize| {
            cells
                .get(i)
                .map(|s| s.trim().to_owned())
                .unwrap_or_default()
        };
        Self {
            line,
            code: cell(0),
            sido: cell(1),
            sigungu: cell(2),
            emd: cell(3),
            created: cell(4),
            retired: cell(5),
        }
    }

    fn is_header(&self) -> bool {
        self.code.parse::<u64>().is_err() && self.code.contains("코드")
    }
}

/// A row that could not be read, with its line number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct RowError {
    pub line: usize,
    pub message: String,
}

/// The active regions of a release, each with its path from the si/do down.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub regions: Vec<(Region, RegionPath)>,
}

impl Registry {
    pub fn count(&self, level: Level) -> usize {
        self.regions
            .iter()
            .filter(|(r, _)| r.level == level)
            .count()
    }
}

/// Reads the rows of a release. Retired rows, 출장소 and Sejong's nameless placeholder are
/// left out; every other problem is reported with its line, all at once.
pub fn build(rows: impl IntoIterator<Item = KikcdRow>) -> Result<Registry, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut active: BTreeMap<RegionCode, (Level, String, KikcdRow)> = BTreeMap::new();
    for row in rows {
        if row.is_header() || (row.code.is_empty() && row.sido.is_empty()) {
            continue;
        }
        let err = |m: &str| RowError {
            line: row.line,
            message: m.to_owned(),
        };
        let code = match RegionCode::parse(&row.code) {
            Ok(c) => c,
            Err(e) => {
                errors.push(err(&format!("{e}: {:?}", row.code)));
                continue;
            }
        };
        if !row.retired.is_empty() {
            continue;
        }
        let (level, name) = if !row.emd.is_empty() {
            (Level::Emd, row.emd.clone())
        } else if !row.sigungu.is_empty() {
            (Level::Sigungu, row.sigungu.clone())
        } else if code.level() == Level::Sido {
            (Level::Sido, row.sido.clone())
        } else {
            continue; // Sejong's si/gun/gu placeholder
        };
        if name.ends_with("출장소") {
            continue;
        }
        if name.is_empty() || row.sido.is_empty() {
            errors.push(err("the si/do name is missing"));
            continue;
        }
        if code.level() != level {
            errors.push(err(&format!(
                "code {code} does not fit a {} named {name}",
                level.as_str()
            )));
            continue;
        }
        if active
            .insert(code.clone(), (level, name, row.clone()))
            .is_some()
        {
            errors.push(err(&format!("code {code} appears twice")));
        }
    }

    // Parent cities are the si/gun/gu that hold 일반구: `수원시` for `수원시 장안구`.
    let mut sigungu_by_name: HashMap<(String, String), RegionCode> = HashMap::new();
    for (code, (level, name, row)) in &active {
        if *level == Level::Sigungu {
            sigungu_by_name.insert((row.sido.clone(), name.clone()), code.clone());
        }
    }
    let mut parent_cities = std::collections::HashSet::new();
    let mut parents: HashMap<RegionCode, Option<RegionCode>> = HashMap::new();
    for (code, (level, name, row)) in &active {
        let parent = match level {
            Level::Nation | Level::Sido => None,
            Level::Sigungu => match name.split_once(' ') {
                Some((city, _)) => {
                    match sigungu_by_name.get(&(row.sido.clone(), city.to_owned())) {
                        Some(p) => {
                            parent_cities.insert(p.clone());
                            Some(p.clone())
                        }
                        None => {
                            errors.push(RowError {
                                line: row.line,
                                message: format!("the city {city} of {name} is not in the file"),
                            });
                            continue;
                        }
                    }
                }
                None => code.sido(),
            },
            Level::Emd => code
                .sigungu_prefix()
                .filter(|p| active.contains_key(p))
                .or_else(|| code.sido()),
        };
        if let Some(p) = &parent
            && !active.contains_key(p)
        {
            errors.push(RowError {
                line: row.line,
                message: format!("its parent region {p} is not in the file"),
            });
            continue;
        }
        parents.insert(code.clone(), parent);
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut regions = Vec::with_capacity(active.len());
    for (code, (level, name, row)) in &active {
        let mut chain = vec![code.clone()];
        let mut cursor = parents[code].clone();
        while let Some(p) = cursor {
            cursor = parents[&p].clone();
            chain.push(p);
        }
        chain.reverse();
        let full_name = chain
            .iter()
            .map(|c| {
                let (l, n, _) = &active[c];
                match l {
                    // 수원시 장안구 already carries its city's name.
                    Level::Sigungu if parent_cities.contains(c) && c != code => "",
                    _ => n.as_str(),
                }
            })
            .filter(|n| !n.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let kind = if parent_cities.contains(code) {
            RegionKind::ParentCity
        } else if *level == Level::Sigungu
            && code.sido().is_some_and(|s| is_metropolitan(&active[&s].1))
            && name.ends_with('구')
        {
            RegionKind::District
        } else {
            RegionKind::from_name(*level, name)
        };
        regions.push((
            Region {
                code: code.clone(),
                level: *level,
                kind,
                name: name.clone(),
                full_name,
                parent: parents[code].clone(),
                created_on: (!row.created.is_empty()).then(|| row.created.clone()),
            },
            RegionPath::new(chain),
        ));
    }
    Ok(Registry { regions })
}

fn is_metropolitan(sido_name: &str) -> bool {
    sido_name.ends_with("특별시") || sido_name.ends_with("광역시")
}

/// What a new release changes against the active registry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub created: Vec<RegionCode>,
    pub retired: Vec<RegionCode>,
    pub renamed: Vec<RegionCode>,
}

/// Compares the active regions (code, full name) with a new release.
pub fn diff<'a>(
    active: impl IntoIterator<Item = (&'a RegionCode, &'a str)>,
    release: &Registry,
) -> Changes {
    let old: BTreeMap<&RegionCode, &str> = active.into_iter().collect();
    let new: BTreeMap<&RegionCode, &str> = release
        .regions
        .iter()
        .map(|(r, _)| (&r.code, r.full_name.as_str()))
        .collect();
    let mut changes = Changes::default();
    for (code, name) in &new {
        match old.get(code) {
            None => changes.created.push((*code).clone()),
            Some(old_name) if old_name != name => changes.renamed.push((*code).clone()),
            Some(_) => {}
        }
    }
    changes.retired = old
        .keys()
        .filter(|c| !new.contains_key(*c))
        .map(|c| (*c).clone())
        .collect();
    changes
}

/// Turns the three CSV files the product ships (`sido.csv`, `sigungu.csv`, `regions.csv`)
/// into release rows, so that the shipped copy and an imported release go through one reader.
pub fn rows_from_shipped(sido_csv: &str, sigungu_csv: &str, regions_csv: &str) -> Vec<KikcdRow> {
    fn cells(csv: &str) -> impl Iterator<Item = (usize, Vec<String>)> + '_ {
        csv.lines()
            .enumerate()
            .skip(1)
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| (i + 1, l.split(',').map(str::to_owned).collect()))
    }
    let mut rows = Vec::new();
    for (line, c) in cells(sido_csv) {
        rows.push(KikcdRow::from_cells(line, &[c[0].clone(), c[1].clone()]));
    }
    for (line, c) in cells(sigungu_csv) {
        rows.push(KikcdRow::from_cells(
            line,
            &[c[0].clone(), c[1].clone(), c[2].clone()],
        ));
    }
    for (line, c) in cells(regions_csv) {
        let created = c.get(5).cloned().unwrap_or_default();
        rows.push(KikcdRow::from_cells(
            line,
            &[
                c[0].clone(),
                c[1].clone(),
                c[2].clone(),
                c[3].clone(),
                created,
            ],
        ));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(code: &str, sido: &str, sigungu: &str, emd: &str) -> KikcdRow {
        KikcdRow {
            line: 0,
            code: code.into(),
            sido: sido.into(),
            sigungu: sigungu.into(),
            emd: emd.into(),
            created: "19880423".into(),
            retired: String::new(),
        }
    }

    fn sample() -> Vec<KikcdRow> {
        vec![
            row("1100000000", "서울특별시", "", ""),
            row("1111000000", "서울특별시", "종로구", ""),
            row("1111051500", "서울특별시", "종로구", "청운효자동"),
            row("4100000000", "경기도", "", ""),
            row("4111000000", "경기도", "수원시", ""),
            row("4111100000", "경기도", "수원시 장안구", ""),
            row("4111156000", "경기도", "수원시 장안구", "파장동"),
            row("3600000000", "세종특별자치시", "", ""),
            row("3611000000", "세종특별자치시", "", ""),
            row("3611025000", "세종특별자치시", "", "조치원읍"),
            row("2771025400", "대구광역시", "달성군", "논공읍공단출장소"),
        ]
    }

    fn find<'a>(reg: &'a Registry, code: &str) -> &'a (Region, RegionPath) {
        reg.regions
            .iter()
            .find(|(r, _)| r.code.as_str() == code)
            .unwrap()
    }

    #[test]
    fn builds_the_hierarchy_with_ilbangu_under_their_city_and_sejong_without_sigungu() {
        let reg = build(sample()).unwrap();
        assert_eq!(reg.regions.len(), 9);
        let (r, p) = find(&reg, "1111051500");
        assert_eq!(r.full_name, "서울특별시 종로구 청운효자동");
        assert_eq!(p.to_stored(), "1100000000/1111000000/1111051500");
        let (r, p) = find(&reg, "4111156000");
        assert_eq!(r.full_name, "경기도 수원시 장안구 파장동");
        assert_eq!(p.to_stored(), "4100000000/4111000000/4111100000/4111156000");
        assert_eq!(find(&reg, "4111000000").0.kind, RegionKind::ParentCity);
        assert_eq!(find(&reg, "4111100000").0.kind, RegionKind::Ilbangu);
        assert_eq!(find(&reg, "1111000000").0.kind, RegionKind::District);
        let (r, p) = find(&reg, "3611025000");
        assert_eq!(r.parent.as_ref().unwrap().as_str(), "3600000000");
        assert_eq!(r.full_name, "세종특별자치시 조치원읍");
        assert_eq!(p.codes().len(), 2);
    }

    #[test]
    fn retired_rows_are_left_out_and_bad_rows_are_reported_with_their_line() {
        let mut rows = sample();
        rows[2].retired = "20250101".into();
        let reg = build(rows).unwrap();
        assert!(
            reg.regions
                .iter()
                .all(|(r, _)| r.code.as_str() != "1111051500")
        );

        let mut rows = sample();
        rows[1].line = 7;
        rows[1].code = "11110000".into();
        rows[2].line = 8;
        let errors = build(rows).unwrap_err();
        assert!(errors.iter().any(|e| e.line == 7), "{errors:?}");
    }

    #[test]
    fn diff_names_created_retired_and_renamed_codes() {
        let reg = build(sample()).unwrap();
        let gone = RegionCode::parse("1111053000").unwrap();
        let renamed = RegionCode::parse("1111051500").unwrap();
        let kept = RegionCode::parse("1100000000").unwrap();
        let changes = diff(
            [
                (&gone, "서울특별시 종로구 사직동"),
                (&renamed, "서울특별시 종로구 청운동"),
                (&kept, "서울특별시"),
            ],
            &reg,
        );
        assert_eq!(changes.retired, vec![gone]);
        assert_eq!(changes.renamed, vec![renamed]);
        assert_eq!(changes.created.len(), 7);
    }
}

#[cfg(test)]
mod shipped {
    use super::*;

    #[test]
    fn the_shipped_files_hold_every_region_of_the_2025_release() {
        let rows = rows_from_shipped(
            include_str!("../../../../data/sido.csv"),
            include_str!("../../../../data/sigungu.csv"),
            include_str!("../../../../data/regions.csv"),
        );
        let reg = build(rows).unwrap();
        assert_eq!(reg.count(Level::Sido), 17);
        assert_eq!(reg.count(Level::Sigungu), 263);
        assert_eq!(reg.count(Level::Emd), 3560);
        let eup = reg
            .regions
            .iter()
            .filter(|(r, _)| r.kind == RegionKind::Eup)
            .count();
        assert_eq!(eup, 235);
        let ilbangu = reg
            .regions
            .iter()
            .filter(|(r, _)| r.kind == RegionKind::Ilbangu)
            .count();
        assert_eq!(ilbangu, 35);
        let parent_cities = reg
            .regions
            .iter()
            .filter(|(r, _)| r.kind == RegionKind::ParentCity)
            .count();
        assert_eq!(parent_cities, 12);
    }
}
