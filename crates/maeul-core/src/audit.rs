//! 접속기록 — the access log of personal data, log-ins and grant changes.
//!
//! Entries are append-only and kept at least two years (개인정보의 안전성 확보조치 기준 제8조).

use serde::{Deserialize, Serialize};

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessAction {
    Login,
    LoginFailed,
    Logout,
    TokenIssued,
    UserCreated,
    GrantAdded,
    GrantRevoked,
    /// A password was set anew by an administrator (sessions and tokens end).
    PasswordReset,
    /// A lock-out after failed log-ins was lifted by an administrator.
    Unlocked,
    /// A personal record was shown.
    Read,
    /// A personal record was created or changed (a round loaded, a visit recorded).
    Write,
    /// Personal records (or the access log itself) left the system; needs a purpose.
    Export,
}

impl AccessAction {
    pub const ALL: [AccessAction; 12] = [
        AccessAction::Login,
        AccessAction::LoginFailed,
        AccessAction::Logout,
        AccessAction::TokenIssued,
        AccessAction::UserCreated,
        AccessAction::GrantAdded,
        AccessAction::GrantRevoked,
        AccessAction::PasswordReset,
        AccessAction::Unlocked,
        AccessAction::Read,
        AccessAction::Write,
        AccessAction::Export,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccessAction::Login => "login",
            AccessAction::LoginFailed => "login_failed",
            AccessAction::Logout => "logout",
            AccessAction::TokenIssued => "token_issued",
            AccessAction::UserCreated => "user_created",
            AccessAction::GrantAdded => "grant_added",
            AccessAction::GrantRevoked => "grant_revoked",
            AccessAction::PasswordReset => "password_reset",
            AccessAction::Unlocked => "unlocked",
            AccessAction::Read => "read",
            AccessAction::Write => "write",
            AccessAction::Export => "export",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// The stated purpose of an export: required, 2–200 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Purpose(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("state the purpose in 2 to 200 characters")]
pub struct PurposeError;

impl Purpose {
    pub fn parse(s: &str) -> Result<Self, PurposeError> {
        let s = s.trim();
        if (2..=200).contains(&s.chars().count()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(PurposeError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One entry to append: who (user id and log-in as they were then), from where, which subject,
/// what action, and for exports why. The subject names a record, never its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEntry {
    pub user_id: Option<i64>,
    pub user_login: String,
    pub address: String,
    pub subject: String,
    pub action: AccessAction,
    pub purpose: Option<Purpose>,
    /// The region the subject belongs to, so that auditors of that region see the entry.
    pub region_code: Option<String>,
}

impl AccessEntry {
    pub fn new(
        user_id: Option<i64>,
        user_login: &str,
        address: &str,
        subject: &str,
        action: AccessAction,
    ) -> Self {
        Self {
            user_id,
            user_login: user_login.to_owned(),
            address: address.to_owned(),
            subject: subject.to_owned(),
            action,
            purpose: None,
            region_code: None,
        }
    }

    /// An export always carries its purpose.
    pub fn export(
        user_id: i64,
        user_login: &str,
        address: &str,
        subject: &str,
        purpose: Purpose,
    ) -> Self {
        Self {
            purpose: Some(purpose),
            ..Self::new(
                Some(user_id),
                user_login,
                address,
                subject,
                AccessAction::Export,
            )
        }
    }

    pub fn in_region(mut self, code: &str) -> Self {
        self.region_code = Some(code.to_owned());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_need_a_real_purpose() {
        assert!(Purpose::parse(" ").is_err());
        assert!(Purpose::parse(&"가".repeat(201)).is_err());
        let p = Purpose::parse("분기 점검").unwrap();
        let e = AccessEntry::export(1, "auditor", "127.0.0.1", "access_log", p);
        assert_eq!(e.action, AccessAction::Export);
        assert_eq!(e.purpose.unwrap().as_str(), "분기 점검");
    }

    #[test]
    fn actions_round_trip() {
        for a in AccessAction::ALL {
            assert_eq!(AccessAction::parse(a.as_str()), Some(a));
        }
    }
}
