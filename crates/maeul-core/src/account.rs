//! Accounts: roles, grants on a region scope, permissions, log-in names and passwords.

use std::fmt;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use serde::{Deserialize, Serialize};

use crate::region::{Level, RegionCode, RegionPath};

/// A role a user holds on a scope (DESIGN.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 주민
    Resident,
    /// 주민자치회 위원
    CouncilMember,
    /// 주민자치회 회장·간사
    CouncilOfficer,
    /// 읍·면·동 주민자치 인력
    AutonomyStaff,
    /// 읍·면·동 복지인력
    WelfareStaff,
    /// 읍·면·동 간호인력
    Nurse,
    /// 통합사례관리사 (희망복지지원단)
    CaseManager,
    /// 시·군·구 / 시·도 사업 총괄인력
    ProgrammeStaff,
    /// 행정안전부 주민복지서비스개편추진단
    Ministry,
    /// 민간 전문인력
    Expert,
    /// 개인정보 접속기록 점검자
    Auditor,
    /// 시스템 관리자
    Admin,
}

impl Role {
    pub const ALL: [Role; 12] = [
        Role::Resident,
        Role::CouncilMember,
        Role::CouncilOfficer,
        Role::AutonomyStaff,
        Role::WelfareStaff,
        Role::Nurse,
        Role::CaseManager,
        Role::ProgrammeStaff,
        Role::Ministry,
        Role::Expert,
        Role::Auditor,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::CouncilMember => "council_member",
            Role::CouncilOfficer => "council_officer",
            Role::AutonomyStaff => "autonomy_staff",
            Role::WelfareStaff => "welfare_staff",
            Role::Nurse => "nurse",
            Role::CaseManager => "case_manager",
            Role::ProgrammeStaff => "programme_staff",
            Role::Ministry => "ministry",
            Role::Expert => "expert",
            Role::Auditor => "auditor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Result<Self, GrantError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| GrantError::UnknownRole(s.to_owned()))
    }

    /// The levels a grant of this role may be scoped to.
    pub fn scope_levels(self) -> &'static [Level] {
        use Level::*;
        match self {
            Role::Resident
            | Role::CouncilMember
            | Role::CouncilOfficer
            | Role::AutonomyStaff
            | Role::WelfareStaff
            | Role::Nurse => &[Emd],
            Role::CaseManager => &[Sigungu],
            Role::ProgrammeStaff => &[Sigungu, Sido, Nation],
            Role::Ministry | Role::Admin => &[Nation],
            Role::Expert | Role::Auditor => &[Emd, Sigungu, Sido, Nation],
        }
    }

    /// What the role may do, within its scope.
    pub fn permits(self, permission: Permission) -> bool {
        use Permission::*;
        match permission {
            UseWorkspace => self != Role::Resident,
            ManageUsers => self == Role::Admin,
            ReadAccessLog => self == Role::Auditor,
            ReadPersonalWelfare => {
                matches!(self, Role::WelfareStaff | Role::Nurse | Role::CaseManager)
            }
            RecordVisit => matches!(self, Role::WelfareStaff | Role::Nurse),
            ManageCases => matches!(self, Role::WelfareStaff | Role::CaseManager),
            RecordHealth => self == Role::Nurse,
            ManageResources => matches!(
                self,
                Role::WelfareStaff | Role::Nurse | Role::CaseManager | Role::ProgrammeStaff
            ),
            ReadAreaAnalysis => !matches!(
                self,
                Role::Resident | Role::Expert | Role::Auditor | Role::Admin
            ),
            FindExperts => matches!(
                self,
                Role::AutonomyStaff
                    | Role::WelfareStaff
                    | Role::Nurse
                    | Role::CaseManager
                    | Role::ProgrammeStaff
                    | Role::Ministry
            ),
            ManageAssemblies => matches!(self, Role::CouncilOfficer | Role::AutonomyStaff),
            RunPolling => self == Role::AutonomyStaff,
            ProposeAgenda => self == Role::Resident,
            VoteAsResident => self == Role::Resident,
            ManageCouncil => matches!(
                self,
                Role::CouncilOfficer | Role::AutonomyStaff | Role::ProgrammeStaff
            ),
            EditCatalogue => self == Role::Ministry,
            LinkProgrammes => matches!(
                self,
                Role::CouncilMember
                    | Role::CouncilOfficer
                    | Role::AutonomyStaff
                    | Role::ProgrammeStaff
            ),
            DraftPlan => matches!(
                self,
                Role::CouncilMember | Role::CouncilOfficer | Role::AutonomyStaff
            ),
            ManageGrantCalls => self == Role::Ministry,
            ApplyForGrants => self == Role::ProgrammeStaff,
            ReviewGrants => self == Role::Expert,
            SubmitPractice => matches!(
                self,
                Role::CouncilOfficer | Role::AutonomyStaff | Role::ProgrammeStaff
            ),
            ReviewPractice => self == Role::Ministry,
            KeepOfficerNetwork => matches!(self, Role::ProgrammeStaff | Role::Ministry),
            KeepOrgModels => matches!(self, Role::ProgrammeStaff | Role::Ministry),
            ManageStaffing => matches!(self, Role::ProgrammeStaff | Role::Ministry),
            RequestConsulting => matches!(
                self,
                Role::CouncilOfficer | Role::AutonomyStaff | Role::ProgrammeStaff
            ),
            KeepPromotionCouncils | KeepExpertPool => {
                matches!(self, Role::ProgrammeStaff | Role::Ministry)
            }
            EditGuides => self == Role::Ministry,
            RunCourses | RecordMous | RunForums | KeepPartnerProjects => matches!(
                self,
                Role::CouncilOfficer | Role::AutonomyStaff | Role::ProgrammeStaff | Role::Ministry
            ),
            ViewDashboards => matches!(
                self,
                Role::AutonomyStaff
                    | Role::WelfareStaff
                    | Role::Nurse
                    | Role::CaseManager
                    | Role::ProgrammeStaff
                    | Role::Ministry
            ),
            ReadWelfareSummary => matches!(
                self,
                Role::WelfareStaff
                    | Role::Nurse
                    | Role::CaseManager
                    | Role::ProgrammeStaff
                    | Role::Ministry
            ),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something a handler needs the user to be allowed to do. Deny by default: a route names one
/// of these (or says it is public) and the user needs a grant whose role permits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// The staff and council workspace.
    UseWorkspace,
    /// Users and their grants.
    ManageUsers,
    /// 개인정보 접속기록 — read and export the access log of the scope.
    ReadAccessLog,
    /// Personal welfare and health records (households, persons, visits, cases): the
    /// welfare staff and nurses of the place and the case managers of its si/gun/gu.
    ReadPersonalWelfare,
    /// Record a visit and its outcome: the welfare staff and nurses of the place.
    RecordVisit,
    /// 통합사례관리 — open cases and record their steps: the welfare staff of the place and
    /// the case managers of its si/gun/gu.
    ManageCases,
    /// 방문건강관리 — register people and record health visits: the nurses of the place.
    RecordHealth,
    /// 지역사회자원 — keep the directory of services of the scope.
    ManageResources,
    /// Aggregates of discovery and welfare work (counts only, small ones withheld).
    ReadWelfareSummary,
    /// 지역 분석 — the local picture of welfare needs (counts only, small ones withheld), for
    /// staff, programme staff and the councils, so that needs can become agenda items.
    ReadAreaAnalysis,
    /// 주민총회 — set up an assembly, issue voting codes, open and close voting: the council
    /// officers and autonomy staff of the place.
    ManageAssemblies,
    /// Run the polling booths: check residents in and enter paper tallies (autonomy staff).
    RunPolling,
    /// 주민총회 — vote signed in, without a code, once the community centre has tied the
    /// account to the resident's roster entry (residents of the place).
    VoteAsResident,
    /// 의제 — propose agenda items and support others' (residents of the place).
    ProposeAgenda,
    /// 주민자치회 — keep a council's status and basis, subcommittees and meetings, and run
    /// the member lottery: the council officers and autonomy staff of the place and the
    /// programme staff above it.
    ManageCouncil,
    /// 지역사업 목록 — add and edit the programme catalogue (ministry staff).
    EditCatalogue,
    /// 자치계획 — start a year's plan and write its items while it is a draft: the council's
    /// members and officers and the autonomy staff of the place. Putting it to the assembly,
    /// recording the decision, spending and the settlement need [`Permission::ManageCouncil`].
    DraftPlan,
    /// 지역사업 연계 — follow and record the linkage of the place's agenda to programmes, from
    /// candidate to report: the council and autonomy staff of the place and the programme staff
    /// of its si/gun/gu and above.
    LinkProgrammes,
    /// 공모사업 — publish a grant call, assign its experts, close it for review and make the
    /// selection (ministry staff).
    ManageGrantCalls,
    /// 공모사업 — apply to a grant call for the si/gun/gu or one of its eup/myeon/dong, and
    /// report on an award (programme staff of the si/gun/gu or above).
    ApplyForGrants,
    /// 공모사업 — score the applications of the calls one is assigned to (experts).
    ReviewGrants,
    /// 우수사례 — write up a case of a place and revise it until it is published: the council's
    /// officers and autonomy staff of the place, the programme staff above it.
    SubmitPractice,
    /// 우수사례 — publish a submitted case, return it for revision, take a published one down
    /// (ministry staff).
    ReviewPractice,
    /// 담당자 네트워크 — list the officers in charge of each field in the local governments of the
    /// scope (programme staff, ministry staff). Every workspace user reads the network.
    KeepOfficerNetwork,
    /// 조직 모형 — record the organisation model, planned transition and teams of the
    /// eup/myeon/dong of the scope (programme staff, ministry staff). Everyone reads them.
    KeepOrgModels,
    /// 인력 배치 — keep the posts of the four staff kinds whose quota the scope holds, and read
    /// who holds them (programme staff, ministry staff). Headcounts are public.
    ManageStaffing,
    /// 추진협의회 — keep the members and meetings of the promotion councils of the local
    /// governments of the scope (programme staff, ministry staff). Everyone reads them.
    KeepPromotionCouncils,
    /// 대시보드 — the figures of the scope and each level below it, counts only (the
    /// officials of the community centres, the si/gun/gu, the si/do and the ministry).
    ViewDashboards,
    /// 안내서 — write and revise the programme's guides (ministry staff). Everyone reads them.
    EditGuides,
    /// 교육 — run the courses of the scope: their sessions, enrolments and attendance (the
    /// council's officers and autonomy staff of a place, for its autonomy school; programme and
    /// ministry staff for theirs). Everyone reads a course; its roster is the runners'.
    RunCourses,
    /// 업무협약 — record the MOUs made in the scope (the council's officers and autonomy staff
    /// of a place, programme and ministry staff). Everyone reads them.
    RecordMous,
    /// 전문인력 풀 — register private experts in the pool of the scope and keep their
    /// availability (programme staff of a si/do, the ministry).
    KeepExpertPool,
    /// 전문인력 풀 — look in the pool, with the experts' contacts (public officials only: not
    /// residents, the council's volunteers, the experts themselves, auditors or administrators).
    FindExperts,
    /// 컨설팅 — ask for consulting for a place, a si/gun/gu or a si/do of the scope and follow
    /// it (the council's officers and autonomy staff of a place, programme staff). The keepers
    /// of the expert pool over it assign the expert; the expert's account writes the report.
    RequestConsulting,
    /// 공론장 — hold the forums and deliberation events of the scope, see who signed up and
    /// record their outcome (the council's officers and autonomy staff of a place, programme and
    /// ministry staff). Everyone reads them; anyone signed in signs up.
    RunForums,
    /// 민간 지원조직 주도 사업 — record the projects private support organisations lead in the
    /// scope and keep them up to date (the council's officers and autonomy staff of a place,
    /// programme and ministry staff). Everyone reads them.
    KeepPartnerProjects,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GrantError {
    #[error("unknown role {0:?}")]
    UnknownRole(String),
    #[error("the role {role} cannot be granted at the {level} level")]
    ScopeLevel { role: Role, level: &'static str },
}

/// A role on a region scope; the scope covers the regions below it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub scope: RegionCode,
}

impl Grant {
    pub fn new(role: Role, scope: RegionCode) -> Result<Self, GrantError> {
        let level = scope.level();
        if !role.scope_levels().contains(&level) {
            return Err(GrantError::ScopeLevel {
                role,
                level: level.as_str(),
            });
        }
        Ok(Self { role, scope })
    }

    /// Whether this grant allows `permission` on the region at `path`.
    pub fn allows(&self, permission: Permission, path: &RegionPath) -> bool {
        self.role.permits(permission) && path.within(&self.scope)
    }
}

/// A signed-in user as handlers see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub user_id: i64,
    pub login: String,
    pub name: String,
    pub grants: Vec<Grant>,
}

impl Principal {
    /// Whether any grant permits `permission` somewhere (route-level check).
    pub fn may(&self, permission: Permission) -> bool {
        self.grants.iter().any(|g| g.role.permits(permission))
    }

    /// Whether a grant permits `permission` on the region at `path` (record-level check).
    pub fn may_in(&self, permission: Permission, path: &RegionPath) -> bool {
        self.grants.iter().any(|g| g.allows(permission, path))
    }

    /// The scopes on which `permission` is held, for filtering lists.
    pub fn scopes(&self, permission: Permission) -> Vec<RegionCode> {
        self.grants
            .iter()
            .filter(|g| g.role.permits(permission))
            .map(|g| g.scope.clone())
            .collect()
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }
}

/// A log-in name: 3–32 characters of lower-case letters, digits, `.`, `_`, `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Login(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    #[error("a log-in name has 3 to 32 characters: lower-case letters, digits, '.', '_' or '-'")]
    Invalid,
}

impl Login {
    pub fn parse(s: &str) -> Result<Self, LoginError> {
        let s = s.trim().to_lowercase();
        let ok = (3..=32).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b".-_".contains(&b));
        if ok {
            Ok(Self(s))
        } else {
            Err(LoginError::Invalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a password is refused. The rule is the one Korean public systems use (KISA
/// 패스워드 선택 및 이용 안내서): at least 10 characters of two kinds, or 8 of three kinds
/// (upper-case, lower-case, digits, symbols), and not containing the log-in name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("use at least 10 characters of two kinds or 8 of three kinds")]
    TooWeak,
    #[error("a password may not contain the log-in name")]
    ContainsLogin,
    #[error("a password has at most 128 characters")]
    TooLong,
}

/// A password that meets the rules; only its hash is ever stored.
pub struct Password(String);

impl Password {
    pub fn parse(login: &Login, raw: &str) -> Result<Self, PasswordError> {
        let len = raw.chars().count();
        if len > 128 {
            return Err(PasswordError::TooLong);
        }
        let kinds = [
            raw.chars().any(|c| c.is_ascii_uppercase()),
            raw.chars().any(|c| c.is_ascii_lowercase()),
            raw.chars().any(|c| c.is_ascii_digit()),
            raw.chars().any(|c| !c.is_ascii_alphanumeric()),
        ]
        .iter()
        .filter(|k| **k)
        .count();
        if !((kinds >= 2 && len >= 10) || (kinds >= 3 && len >= 8)) {
            return Err(PasswordError::TooWeak);
        }
        if raw.to_lowercase().contains(login.as_str()) {
            return Err(PasswordError::ContainsLogin);
        }
        Ok(Self(raw.to_owned()))
    }

    /// An argon2id hash in PHC string form.
    pub fn hash(&self) -> String {
        let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
            .expect("16 bytes make a valid salt");
        Argon2::default()
            .hash_password(self.0.as_bytes(), &salt)
            .expect("argon2 with default parameters does not fail")
            .to_string()
    }
}

/// Checks a password against a stored hash; a malformed hash never verifies.
pub fn verify_password(raw: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|h| {
            Argon2::default()
                .verify_password(raw.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Failed log-ins allowed before the account is locked.
pub const FREE_LOGIN_FAILURES: u32 = 5;

/// How long an account stays locked after `failures` consecutive failed log-ins: nothing for
/// the first five, then one minute, doubling with each further failure, at most an hour.
pub fn lockout_after(failures: u32) -> Option<time::Duration> {
    if failures < FREE_LOGIN_FAILURES {
        return None;
    }
    let minutes = 1i64 << (failures - FREE_LOGIN_FAILURES).min(6);
    Some(time::Duration::minutes(minutes.min(60)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    #[test]
    fn grants_respect_the_levels_of_their_role() {
        assert!(Grant::new(Role::WelfareStaff, code("1111051500")).is_ok());
        assert!(Grant::new(Role::WelfareStaff, code("1111000000")).is_err());
        assert!(Grant::new(Role::CaseManager, code("1111000000")).is_ok());
        assert!(Grant::new(Role::Ministry, code("1100000000")).is_err());
        assert!(Grant::new(Role::Admin, RegionCode::nation()).is_ok());
        assert!(Role::parse("mayor").is_err());
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
    }

    #[test]
    fn permissions_hold_only_within_the_scope() {
        let auditor = Principal {
            user_id: 1,
            login: "a".into(),
            name: "a".into(),
            grants: vec![Grant::new(Role::Auditor, code("1111000000")).unwrap()],
        };
        let inside = RegionPath::parse("1100000000/1111000000/1111051500").unwrap();
        let outside = RegionPath::parse("1100000000/1114000000/1114052000").unwrap();
        assert!(auditor.may(Permission::ReadAccessLog));
        assert!(auditor.may_in(Permission::ReadAccessLog, &inside));
        assert!(!auditor.may_in(Permission::ReadAccessLog, &outside));
        assert!(!auditor.may(Permission::ManageUsers));
    }

    #[test]
    fn residents_have_no_workspace_and_admins_no_access_log() {
        assert!(!Role::Resident.permits(Permission::UseWorkspace));
        assert!(Role::WelfareStaff.permits(Permission::UseWorkspace));
        assert!(!Role::Admin.permits(Permission::ReadAccessLog));
    }

    #[test]
    fn personal_welfare_data_is_for_the_place_staff_and_the_case_manager_only() {
        let holders: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.permits(Permission::ReadPersonalWelfare))
            .collect();
        assert_eq!(
            holders,
            [Role::WelfareStaff, Role::Nurse, Role::CaseManager]
        );
        assert!(!Role::CaseManager.permits(Permission::RecordVisit));
        assert!(Role::ProgrammeStaff.permits(Permission::ReadWelfareSummary));
        assert!(!Role::ProgrammeStaff.permits(Permission::ReadPersonalWelfare));
        assert!(!Role::CouncilOfficer.permits(Permission::ReadWelfareSummary));
        let welfare = Principal {
            user_id: 1,
            login: "w".into(),
            name: "w".into(),
            grants: vec![Grant::new(Role::WelfareStaff, code("1111051500")).unwrap()],
        };
        let own = RegionPath::parse("1100000000/1111000000/1111051500").unwrap();
        let next_door = RegionPath::parse("1100000000/1111000000/1111053000").unwrap();
        assert!(welfare.may_in(Permission::ReadPersonalWelfare, &own));
        assert!(!welfare.may_in(Permission::ReadPersonalWelfare, &next_door));
    }

    #[test]
    fn passwords_follow_the_kisa_rule() {
        let login = Login::parse("kim.staff").unwrap();
        assert!(Password::parse(&login, "abcdefghi1").is_ok()); // 10 chars, 2 kinds
        assert_eq!(
            Password::parse(&login, "abcdefgh1").err(),
            Some(PasswordError::TooWeak)
        );
        assert!(Password::parse(&login, "Abcdef1!").is_ok()); // 8 chars, 3+ kinds
        assert_eq!(
            Password::parse(&login, "Abcdef1").err(),
            Some(PasswordError::TooWeak)
        );
        assert_eq!(
            Password::parse(&login, "xKim.Staff1").err(),
            Some(PasswordError::ContainsLogin)
        );
    }

    #[test]
    fn hashes_verify_only_the_right_password() {
        let login = Login::parse("lee").unwrap();
        let hash = Password::parse(&login, "correct-horse-9").unwrap().hash();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct-horse-9", &hash));
        assert!(!verify_password("correct-horse-8", &hash));
        assert!(!verify_password("correct-horse-9", "not a hash"));
    }

    #[test]
    fn logins_are_normalised_and_checked() {
        assert_eq!(Login::parse(" Kim.Staff ").unwrap().as_str(), "kim.staff");
        assert!(Login::parse("ab").is_err());
        assert!(Login::parse("김주무관").is_err());
    }

    #[test]
    fn lockout_grows_after_five_failures_and_is_capped() {
        assert_eq!(lockout_after(4), None);
        assert_eq!(lockout_after(5), Some(time::Duration::minutes(1)));
        assert_eq!(lockout_after(6), Some(time::Duration::minutes(2)));
        assert_eq!(lockout_after(9), Some(time::Duration::minutes(16)));
        assert_eq!(lockout_after(40), Some(time::Duration::minutes(60)));
    }
}
