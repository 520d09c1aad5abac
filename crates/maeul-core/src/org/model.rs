//! 읍·면·동 조직 모형 — the organisation model of each eup/myeon/dong, its planned transition
//! and its teams, and how far a region has come towards the manual's rule: every 읍 and 동
//! becomes 공공서비스 연계형 (by way of 기본형), a 면 becomes 기본형 or 농어촌특성화형
//! (seed §3, "읍·면·동 조직 기본방향": 2022년까지 전체 읍·동은 「기본형」을 거쳐
//! 「공공서비스 연계형」으로 단계적 전환 추진; 면은 「기본형」 또는 「농어촌특성화형」으로 전환 추진).

use serde::{Deserialize, Serialize};
use time::Date;

use crate::format::parse_day;
use crate::region::{RegionCode, RegionKind};
use crate::sheet::{Column, LineError, blank, cell, col, positions};

/// Most teams one place records, and the longest team name in characters.
pub const MAX_TEAMS: usize = 20;
pub const MAX_TEAM_NAME: usize = 50;

/// 조직 모형 — the organisation model of an eup/myeon/dong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgModel {
    /// 기본형.
    Basic,
    /// 공공서비스 연계형.
    ServiceLinked,
    /// 농어촌특성화형.
    RuralSpecialised,
}

impl OrgModel {
    pub const ALL: [OrgModel; 3] = [
        OrgModel::Basic,
        OrgModel::ServiceLinked,
        OrgModel::RuralSpecialised,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgModel::Basic => "basic",
            OrgModel::ServiceLinked => "service_linked",
            OrgModel::RuralSpecialised => "rural_specialised",
        }
    }

    /// The model's Korean name, as files name it.
    pub fn korean(self) -> &'static str {
        match self {
            OrgModel::Basic => "기본형",
            OrgModel::ServiceLinked => "공공서비스 연계형",
            OrgModel::RuralSpecialised => "농어촌특성화형",
        }
    }

    /// The code name (any case, `-` for `_`) or the Korean name, with or without spaces.
    pub fn parse(s: &str) -> Option<Self> {
        let squeezed = s.trim().replace(' ', "");
        let code = squeezed.to_ascii_lowercase().replace('-', "_");
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == code || m.korean().replace(' ', "") == squeezed)
    }

    /// The name a file uses: Korean, or the code name.
    pub fn file_name(self, korean: bool) -> &'static str {
        if korean { self.korean() } else { self.as_str() }
    }
}

/// The models a place of this kind is to reach: 공공서비스 연계형 for a 읍 or 동, 기본형 or
/// 농어촌특성화형 for a 면; none for a region that is not an eup/myeon/dong.
pub fn target_models(kind: RegionKind) -> &'static [OrgModel] {
    match kind {
        RegionKind::Eup | RegionKind::Dong => &[OrgModel::ServiceLinked],
        RegionKind::Myeon => &[OrgModel::Basic, OrgModel::RuralSpecialised],
        _ => &[],
    }
}

/// A transition planned for a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub model: OrgModel,
    pub on: Date,
}

/// A place's organisation: its model, since when, the transition planned next, its teams.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub model: OrgModel,
    pub since: Option<Date>,
    pub planned: Option<Transition>,
    pub teams: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgError {
    #[error("only an eup/myeon/dong has an organisation model")]
    NotAPlace,
    #[error("a planned day needs the model planned for it")]
    PlannedModelMissing,
    #[error("a planned model needs the day planned for it")]
    PlannedDayMissing,
    #[error("농어촌특성화형 is a model for a 면 only")]
    ModelNotForKind,
    #[error("the planned model is the model the place already has")]
    PlannedSame,
    #[error(
        "against the rule: a 읍 or 동 becomes 공공서비스 연계형, a 면 기본형 or 농어촌특성화형"
    )]
    AgainstRule,
    #[error("the planned day comes before the day the current model began")]
    PlannedBeforeSince,
    #[error("{0:?} is not one of the configured teams")]
    UnknownTeam(String),
    #[error("{0:?} is listed twice")]
    TeamTwice(String),
    #[error("at most {MAX_TEAMS} teams")]
    TooManyTeams,
}

impl OrgError {
    /// The field of a record that is wrong.
    pub fn field(&self) -> &'static str {
        match self {
            OrgError::NotAPlace => "region_code",
            OrgError::ModelNotForKind => "model",
            OrgError::PlannedDayMissing | OrgError::PlannedBeforeSince => "planned_on",
            OrgError::PlannedModelMissing | OrgError::PlannedSame | OrgError::AgainstRule => {
                "planned_model"
            }
            OrgError::UnknownTeam(_) | OrgError::TeamTwice(_) | OrgError::TooManyTeams => "teams",
        }
    }
}

impl Organisation {
    /// A record that holds together for a place of `kind`: a planned transition goes to
    /// another model the rule allows, not before the current one began; teams are configured
    /// ones, each once. Teams left out (`None`) are the model's standard teams.
    pub fn new(
        kind: RegionKind,
        model: OrgModel,
        since: Option<Date>,
        planned: (Option<OrgModel>, Option<Date>),
        teams: Option<Vec<String>>,
        rules: &OrgRules,
    ) -> Result<Organisation, OrgError> {
        let targets = target_models(kind);
        if targets.is_empty() {
            return Err(OrgError::NotAPlace);
        }
        if model == OrgModel::RuralSpecialised && kind != RegionKind::Myeon {
            return Err(OrgError::ModelNotForKind);
        }
        let planned = match planned {
            (None, None) => None,
            (Some(model), Some(on)) => Some(Transition { model, on }),
            (None, Some(_)) => return Err(OrgError::PlannedModelMissing),
            (Some(_), None) => return Err(OrgError::PlannedDayMissing),
        };
        if let Some(t) = planned {
            if t.model == model {
                return Err(OrgError::PlannedSame);
            }
            if !targets.contains(&t.model) {
                return Err(OrgError::AgainstRule);
            }
            if since.is_some_and(|s| t.on < s) {
                return Err(OrgError::PlannedBeforeSince);
            }
        }
        let teams = match teams {
            None => rules.standard_teams(model).to_vec(),
            Some(teams) => {
                let mut kept: Vec<String> = Vec::with_capacity(teams.len());
                for team in teams {
                    let team = team.trim().to_owned();
                    if !rules.knows_team(&team) {
                        return Err(OrgError::UnknownTeam(team));
                    }
                    if kept.contains(&team) {
                        return Err(OrgError::TeamTwice(team));
                    }
                    kept.push(team);
                }
                if kept.len() > MAX_TEAMS {
                    return Err(OrgError::TooManyTeams);
                }
                kept
            }
        };
        Ok(Organisation {
            model,
            since,
            planned,
            teams,
        })
    }

    /// The standard teams of the model that the place does not have.
    pub fn missing_teams<'a>(&self, rules: &'a OrgRules) -> Vec<&'a str> {
        rules
            .standard_teams(self.model)
            .iter()
            .filter(|t| !self.teams.contains(t))
            .map(String::as_str)
            .collect()
    }
}

/// Where a place stands against the rule and the target day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// Its model is one the rule wants for it.
    Reached,
    /// A transition to such a model is planned, on or before the target day.
    Planned,
    /// The planned day has passed and the new model is not recorded.
    Overdue,
    /// A transition is planned, but after the target day.
    Late,
    /// Not there, and nothing planned.
    Unplanned,
    /// No model recorded for the place.
    Unrecorded,
}

impl Progress {
    pub const ALL: [Progress; 6] = [
        Progress::Reached,
        Progress::Planned,
        Progress::Overdue,
        Progress::Late,
        Progress::Unplanned,
        Progress::Unrecorded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Progress::Reached => "reached",
            Progress::Planned => "planned",
            Progress::Overdue => "overdue",
            Progress::Late => "late",
            Progress::Unplanned => "unplanned",
            Progress::Unrecorded => "unrecorded",
        }
    }
}

/// Where a place of `kind` with `record` stands on `today`, against the target day.
pub fn progress(
    kind: RegionKind,
    record: Option<&Organisation>,
    target_on: Date,
    today: Date,
) -> Progress {
    let Some(o) = record else {
        return Progress::Unrecorded;
    };
    if target_models(kind).contains(&o.model) {
        return Progress::Reached;
    }
    match o.planned {
        Some(t) if t.on < today => Progress::Overdue,
        Some(t) if t.on > target_on => Progress::Late,
        Some(_) => Progress::Planned,
        None => Progress::Unplanned,
    }
}

/// Places of a region by model (unrecorded ones included) and by progress (reached …
/// unplanned, which with `unrecorded` add up to the places); a region's counts are the sum of
/// those below it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ModelCounts {
    pub basic: i64,
    pub service_linked: i64,
    pub rural_specialised: i64,
    pub unrecorded: i64,
    pub reached: i64,
    pub planned: i64,
    pub overdue: i64,
    pub late: i64,
    pub unplanned: i64,
}

impl ModelCounts {
    pub fn add(&mut self, model: Option<OrgModel>, progress: Progress) {
        *match model {
            Some(OrgModel::Basic) => &mut self.basic,
            Some(OrgModel::ServiceLinked) => &mut self.service_linked,
            Some(OrgModel::RuralSpecialised) => &mut self.rural_specialised,
            None => &mut self.unrecorded,
        } += 1;
        match progress {
            Progress::Reached => self.reached += 1,
            Progress::Planned => self.planned += 1,
            Progress::Overdue => self.overdue += 1,
            Progress::Late => self.late += 1,
            Progress::Unplanned => self.unplanned += 1,
            // Counted with the models above, once.
            Progress::Unrecorded => {}
        }
    }

    pub fn total(&self) -> i64 {
        self.basic + self.service_linked + self.rural_specialised + self.unrecorded
    }

    /// Share of the places that reached their model, in tenths of a percent.
    pub fn reached_permille(&self) -> i64 {
        match self.total() {
            0 => 0,
            t => self.reached * 1000 / t,
        }
    }
}

/// The configurable part: the target day and the standard teams of each model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRules {
    /// The day by which every place is to have its model.
    target_on: Date,
    teams: Teams,
}

/// The rules as written in TOML.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    /// `YYYY-MM-DD`.
    target_on: String,
    teams: Teams,
}

/// The teams each model has, by model code name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Teams {
    basic: Vec<String>,
    service_linked: Vec<String>,
    rural_specialised: Vec<String>,
}

impl Default for OrgRules {
    fn default() -> Self {
        let teams = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect();
        OrgRules {
            // 2022년까지 전체 읍·동은 … 공공서비스 연계형으로 (seed §3).
            target_on: time::macros::date!(2022 - 12 - 31),
            teams: Teams {
                basic: teams(&["행정민원팀", "찾아가는 보건복지팀"]),
                service_linked: teams(&["행정민원팀", "찾아가는 보건복지팀", "주민자치팀"]),
                rural_specialised: teams(&["행정민원팀", "찾아가는 보건복지팀"]),
            },
        }
    }
}

impl OrgRules {
    pub fn parse(text: &str) -> Result<Self, String> {
        let file: RulesFile = toml::from_str(text).map_err(|e| e.message().to_owned())?;
        let target_on = parse_day(&file.target_on)
            .ok_or_else(|| "target_on is a day such as \"2022-12-31\"".to_owned())?;
        let r = OrgRules {
            target_on,
            teams: file.teams,
        };
        for model in OrgModel::ALL {
            let teams = r.standard_teams(model);
            let twice = teams
                .iter()
                .enumerate()
                .any(|(i, t)| teams[..i].contains(t));
            if teams.len() > MAX_TEAMS || twice || teams.iter().any(|t| !team_name_fits(t)) {
                return Err(format!(
                    "teams.{}: at most {MAX_TEAMS} names, each once, of 1 to {MAX_TEAM_NAME} characters",
                    model.as_str()
                ));
            }
        }
        Ok(r)
    }

    /// The rules as a TOML file that [`OrgRules::parse`] reads back.
    pub fn to_toml(&self) -> String {
        let list = |names: &[String]| {
            let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
            format!("[{}]", quoted.join(", "))
        };
        format!(
            "target_on = \"{}\"\n\n[teams]\nbasic = {}\nservice_linked = {}\nrural_specialised = {}\n",
            self.target_on,
            list(&self.teams.basic),
            list(&self.teams.service_linked),
            list(&self.teams.rural_specialised),
        )
    }

    pub fn target_on(&self) -> Date {
        self.target_on
    }

    pub fn standard_teams(&self, model: OrgModel) -> &[String] {
        match model {
            OrgModel::Basic => &self.teams.basic,
            OrgModel::ServiceLinked => &self.teams.service_linked,
            OrgModel::RuralSpecialised => &self.teams.rural_specialised,
        }
    }

    /// Every configured team, each once, in the order the models list them.
    pub fn all_teams(&self) -> Vec<&str> {
        let mut all: Vec<&str> = Vec::new();
        for model in OrgModel::ALL {
            for t in self.standard_teams(model) {
                if !all.contains(&t.as_str()) {
                    all.push(t);
                }
            }
        }
        all
    }

    pub fn knows_team(&self, team: &str) -> bool {
        self.all_teams().contains(&team)
    }
}

fn team_name_fits(name: &str) -> bool {
    let n = name.chars().count();
    (1..=MAX_TEAM_NAME).contains(&n)
        && !name.chars().any(char::is_control)
        && name.trim() == name
        && !name.contains([';', ','])
}

/// The columns of an organisation file, in the order an export writes them.
pub const COLUMNS: [Column; 7] = [
    col("region_code", &["code"], "행정기관코드"),
    col("region", &["name"], "읍면동"),
    col("model", &[], "조직모형"),
    col("since", &[], "전환일"),
    col("planned_model", &[], "전환예정모형"),
    col("planned_on", &[], "전환예정일"),
    col("teams", &[], "팀"),
];

/// The cells of a place's row in an organisation file (what [`read`] reads back), model names
/// in Korean or as code names; a place never recorded has only its code and name.
pub fn cells(code: &RegionCode, name: &str, o: Option<&Organisation>, korean: bool) -> Vec<String> {
    let day = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut row = vec![code.to_string(), name.to_owned()];
    match o {
        None => row.extend(std::iter::repeat_n(String::new(), 5)),
        Some(o) => row.extend([
            o.model.file_name(korean).to_owned(),
            day(o.since),
            o.planned
                .map(|t| t.model.file_name(korean).to_owned())
                .unwrap_or_default(),
            day(o.planned.map(|t| t.on)),
            o.teams.join("; "),
        ]),
    }
    row
}

/// Reads an organisation file (its first row the header; `region_code` and `model` needed,
/// the rest optional — a row without a `teams` column gets the model's standard teams).
/// `kind_of` gives the kind of each active eup/myeon/dong. Every wrong line is reported with
/// its number; a place twice is wrong. Rows with no model are places left unrecorded (an
/// export of a region lists them), and are skipped.
pub fn read(
    rows: Vec<(usize, Vec<String>)>,
    kind_of: impl Fn(&RegionCode) -> Option<RegionKind>,
    rules: &OrgRules,
) -> Result<Vec<(RegionCode, Organisation)>, Vec<LineError>> {
    let mut rows = rows.into_iter();
    let Some((_, header)) = rows.next() else {
        return Err(vec![(1, "the file is empty".into())]);
    };
    let at = positions(&header, &COLUMNS);
    if at[0].is_none() || at[2].is_none() {
        return Err(vec![(
            1,
            "the header needs region_code and model (행정기관코드, 조직모형)".into(),
        )]);
    }
    let has_teams = at[6].is_some();
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    let mut seen = std::collections::HashSet::new();
    for (line, cells) in rows {
        if blank(&cells) {
            continue;
        }
        let cell = |i: usize| cell(&at, &cells, i);
        let place = RegionCode::parse(cell(0))
            .ok()
            .and_then(|c| kind_of(&c).map(|k| (c, k)));
        let Some((code, kind)) = place else {
            errors.push((
                line,
                format!("{:?} is not an active eup/myeon/dong code", cell(0)),
            ));
            continue;
        };
        if !seen.insert(code.clone()) {
            errors.push((line, format!("{code} appears twice")));
            continue;
        }
        if cell(2).is_empty() {
            continue;
        }
        match row(kind, &cell, has_teams, rules) {
            Ok(o) => out.push((code, o)),
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
    kind: RegionKind,
    cell: &dyn Fn(usize) -> &'a str,
    has_teams: bool,
    rules: &OrgRules,
) -> Result<Organisation, String> {
    let model = |i: usize| match cell(i) {
        "" => Ok(None),
        s => OrgModel::parse(s)
            .map(Some)
            .ok_or_else(|| format!("{s:?} is not an organisation model")),
    };
    let day = |i: usize| match cell(i) {
        "" => Ok(None),
        s => parse_day(s)
            .map(Some)
            .ok_or_else(|| format!("{s:?} is not a date ({})", COLUMNS[i].name)),
    };
    let current = model(2)?.expect("rows without a model are skipped");
    let teams = has_teams.then(|| {
        cell(6)
            .split([';', ','])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect()
    });
    Organisation::new(kind, current, day(3)?, (model(4)?, day(5)?), teams, rules)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn rules() -> OrgRules {
        OrgRules::default()
    }

    fn record(
        kind: RegionKind,
        model: OrgModel,
        planned: Option<(OrgModel, Date)>,
    ) -> Organisation {
        Organisation::new(
            kind,
            model,
            None,
            (planned.map(|p| p.0), planned.map(|p| p.1)),
            None,
            &rules(),
        )
        .unwrap()
    }

    #[test]
    fn models_parse_from_code_and_korean_names() {
        for m in OrgModel::ALL {
            assert_eq!(OrgModel::parse(m.as_str()), Some(m));
            assert_eq!(OrgModel::parse(m.korean()), Some(m));
        }
        assert_eq!(
            OrgModel::parse("공공서비스연계형"),
            Some(OrgModel::ServiceLinked)
        );
        assert_eq!(OrgModel::parse("연계형"), None);
        assert_eq!(
            OrgModel::parse("Rural-Specialised"),
            Some(OrgModel::RuralSpecialised)
        );
    }

    #[test]
    fn planned_transitions_follow_the_manuals_rule() {
        let r = rules();
        let plan = |kind, from, to| {
            Organisation::new(
                kind,
                from,
                None,
                (Some(to), Some(date!(2022 - 06 - 30))),
                None,
                &r,
            )
        };
        use OrgModel::*;
        assert!(plan(RegionKind::Dong, Basic, ServiceLinked).is_ok());
        assert!(plan(RegionKind::Eup, Basic, ServiceLinked).is_ok());
        assert_eq!(
            plan(RegionKind::Dong, ServiceLinked, Basic),
            Err(OrgError::AgainstRule)
        );
        assert_eq!(
            plan(RegionKind::Eup, Basic, RuralSpecialised),
            Err(OrgError::AgainstRule)
        );
        assert!(plan(RegionKind::Myeon, Basic, RuralSpecialised).is_ok());
        assert!(plan(RegionKind::Myeon, ServiceLinked, Basic).is_ok());
        assert_eq!(
            plan(RegionKind::Myeon, Basic, ServiceLinked),
            Err(OrgError::AgainstRule)
        );
        assert_eq!(
            plan(RegionKind::Myeon, Basic, Basic),
            Err(OrgError::PlannedSame)
        );
        assert_eq!(
            plan(RegionKind::District, Basic, ServiceLinked),
            Err(OrgError::NotAPlace)
        );
    }

    #[test]
    fn a_plan_needs_model_and_day_and_cannot_precede_the_current_model() {
        let r = rules();
        let new = |since, planned| {
            Organisation::new(RegionKind::Dong, OrgModel::Basic, since, planned, None, &r)
        };
        assert_eq!(
            new(None, (Some(OrgModel::ServiceLinked), None)),
            Err(OrgError::PlannedDayMissing)
        );
        assert_eq!(
            new(None, (None, Some(date!(2022 - 01 - 01)))),
            Err(OrgError::PlannedModelMissing)
        );
        assert_eq!(
            Organisation::new(
                RegionKind::Dong,
                OrgModel::RuralSpecialised,
                None,
                (None, None),
                None,
                &r
            ),
            Err(OrgError::ModelNotForKind)
        );
        assert_eq!(
            new(
                Some(date!(2021 - 03 - 01)),
                (Some(OrgModel::ServiceLinked), Some(date!(2021 - 02 - 28)))
            ),
            Err(OrgError::PlannedBeforeSince)
        );
    }

    #[test]
    fn teams_default_to_the_models_standard_and_must_be_configured_once() {
        let r = rules();
        let o = record(RegionKind::Dong, OrgModel::ServiceLinked, None);
        assert_eq!(o.teams, r.standard_teams(OrgModel::ServiceLinked));
        assert!(o.missing_teams(&r).is_empty());
        let teams = |t: &[&str]| {
            Organisation::new(
                RegionKind::Dong,
                OrgModel::ServiceLinked,
                None,
                (None, None),
                Some(t.iter().map(|s| (*s).to_owned()).collect()),
                &r,
            )
        };
        let some = teams(&[" 행정민원팀 "]).unwrap();
        assert_eq!(some.teams, vec!["행정민원팀"]);
        assert_eq!(
            some.missing_teams(&r),
            vec!["찾아가는 보건복지팀", "주민자치팀"]
        );
        assert_eq!(
            teams(&["총무팀"]),
            Err(OrgError::UnknownTeam("총무팀".into()))
        );
        assert_eq!(
            teams(&["주민자치팀", "주민자치팀"]),
            Err(OrgError::TeamTwice("주민자치팀".into()))
        );
        assert!(teams(&[]).unwrap().teams.is_empty());
    }

    #[test]
    fn progress_against_the_target_day() {
        let target = date!(2022 - 12 - 31);
        let today = date!(2022 - 03 - 01);
        let p = |kind, o: Option<&Organisation>, today| progress(kind, o, target, today);
        use OrgModel::*;
        assert_eq!(p(RegionKind::Dong, None, today), Progress::Unrecorded);
        let linked = record(RegionKind::Dong, ServiceLinked, None);
        assert_eq!(p(RegionKind::Dong, Some(&linked), today), Progress::Reached);
        let basic_myeon = record(RegionKind::Myeon, Basic, None);
        assert_eq!(
            p(RegionKind::Myeon, Some(&basic_myeon), today),
            Progress::Reached
        );
        let basic = record(RegionKind::Eup, Basic, None);
        assert_eq!(p(RegionKind::Eup, Some(&basic), today), Progress::Unplanned);
        let on_time = record(
            RegionKind::Eup,
            Basic,
            Some((ServiceLinked, date!(2022 - 07 - 01))),
        );
        assert_eq!(p(RegionKind::Eup, Some(&on_time), today), Progress::Planned);
        assert_eq!(
            p(RegionKind::Eup, Some(&on_time), date!(2022 - 07 - 02)),
            Progress::Overdue
        );
        let late = record(
            RegionKind::Dong,
            Basic,
            Some((ServiceLinked, date!(2023 - 01 - 01))),
        );
        assert_eq!(p(RegionKind::Dong, Some(&late), today), Progress::Late);
    }

    #[test]
    fn counts_add_every_place_once_by_model_and_by_progress() {
        let mut c = ModelCounts::default();
        c.add(Some(OrgModel::ServiceLinked), Progress::Reached);
        c.add(Some(OrgModel::Basic), Progress::Planned);
        c.add(None, Progress::Unrecorded);
        c.add(Some(OrgModel::Basic), Progress::Reached);
        assert_eq!(c.total(), 4);
        assert_eq!(
            c.reached + c.planned + c.overdue + c.late + c.unplanned + c.unrecorded,
            c.total()
        );
        assert_eq!(c.reached_permille(), 500);
        assert_eq!(ModelCounts::default().reached_permille(), 0);
    }

    #[test]
    fn rules_round_trip_and_refuse_bad_values() {
        let r = rules();
        assert_eq!(OrgRules::parse(&r.to_toml()).unwrap(), r);
        assert_eq!(r.target_on(), date!(2022 - 12 - 31));
        assert_eq!(
            r.all_teams(),
            vec!["행정민원팀", "찾아가는 보건복지팀", "주민자치팀"]
        );
        let bad_day = r.to_toml().replace("2022-12-31", "2022-13-01");
        assert!(OrgRules::parse(&bad_day).is_err());
        let bad_team = r.to_toml().replace("\"주민자치팀\"", "\"주민;자치팀\"");
        assert!(OrgRules::parse(&bad_team).is_err());
        let twice = r
            .to_toml()
            .replace("\"주민자치팀\"]", "\"주민자치팀\", \"주민자치팀\"]");
        assert!(OrgRules::parse(&twice).is_err());
        assert!(OrgRules::parse("target_on = \"2022-12-31\"").is_err());
    }

    #[test]
    fn files_read_back_what_they_export_and_name_wrong_lines() {
        let r = rules();
        let dong = RegionCode::parse("1111051500").unwrap();
        let myeon = RegionCode::parse("4672025000").unwrap();
        let other = RegionCode::parse("1111053000").unwrap();
        let linked = record(RegionKind::Dong, OrgModel::ServiceLinked, None);
        let kind_of = |c: &RegionCode| match c.as_str() {
            "1111051500" | "1111053000" => Some(RegionKind::Dong),
            "4672025000" => Some(RegionKind::Myeon),
            _ => None,
        };
        let planned = Organisation::new(
            RegionKind::Dong,
            OrgModel::Basic,
            Some(date!(2019 - 01 - 01)),
            (Some(OrgModel::ServiceLinked), Some(date!(2022 - 07 - 01))),
            Some(vec!["행정민원팀".into()]),
            &r,
        )
        .unwrap();
        let header: Vec<String> = COLUMNS.iter().map(|c| c.korean.to_owned()).collect();
        let rows = vec![
            (1, header.clone()),
            (2, cells(&dong, "청운효자동", Some(&planned), true)),
            (3, cells(&myeon, "오산면", None, false)),
            (4, cells(&other, "사직동", Some(&linked), false)),
        ];
        assert_eq!(
            read(rows, kind_of, &r),
            Ok(vec![(dong.clone(), planned), (other.clone(), linked)])
        );

        let line = |cells: &[&str]| cells.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let rows = vec![
            (1, line(&["code", "model"])),
            (2, line(&["1111051500", "기본형"])),
            (3, line(&["1111051500", "기본형"])),
            (4, line(&["9999999900", "기본형"])),
            (5, line(&["4672025000", "큰형"])),
        ];
        let errors = read(rows, kind_of, &r).unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.0).collect::<Vec<_>>(),
            vec![3, 4, 5]
        );
        let rows = vec![(1, line(&["region_code", "planned_on"]))];
        assert_eq!(read(rows, kind_of, &r).unwrap_err()[0].0, 1);
    }
}
