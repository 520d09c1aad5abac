//! Users, grants, log-in with lock-out, browser sessions and API tokens.

use base64::Engine as _;
use diesel::prelude::*;
use maeul_core::account::{self, Grant, Login, Principal, Role, lockout_after};
use maeul_core::audit::{AccessAction, AccessEntry};
use maeul_core::region::RegionCode;
use sha2::{Digest, Sha256};

use crate::audit::log_access;
use crate::db::{DbConn, db_run, db_write};
use crate::schema::{api_tokens, grants, sessions, users};
use crate::{Store, StoreError, unix_now};

/// How long a browser session lasts.
pub const SESSION_SECONDS: i64 = 8 * 3600;
/// How long an API token lasts.
pub const TOKEN_SECONDS: i64 = 30 * 24 * 3600;

/// Who acts and from where, for the access log.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub login: String,
    pub address: String,
    /// Where the actor's own events are filed (see [`home_region`]).
    pub region: Option<String>,
}

impl Actor {
    /// Work done from the command line on the server itself.
    pub fn cli() -> Self {
        Actor {
            user_id: None,
            login: "cli".into(),
            address: "local".into(),
            region: None,
        }
    }

    /// A signed-in user acting from an address.
    pub fn user(principal: &Principal, address: &str) -> Self {
        Actor {
            user_id: Some(principal.user_id),
            login: principal.login.clone(),
            address: address.to_owned(),
            region: home_region(principal).map(str::to_owned),
        }
    }

    pub(crate) fn entry(&self, subject: &str, action: AccessAction) -> AccessEntry {
        let entry = AccessEntry::new(self.user_id, &self.login, &self.address, subject, action);
        match &self.region {
            Some(region) => entry.in_region(region),
            None => entry,
        }
    }
}

/// The region a user's own events (log-ins, tokens) are filed under, so that the auditors of
/// that region see them: the scope of the user's first grant.
pub fn home_region(principal: &Principal) -> Option<&str> {
    principal.grants.first().map(|g| g.scope.as_str())
}

/// A user as administrators see them.
#[derive(Debug, Clone)]
pub struct UserSummary {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub grants: Vec<Grant>,
    pub locked_until: Option<i64>,
}

/// The result of a log-in attempt.
#[derive(Debug)]
pub enum LoginOutcome {
    Success(Principal),
    /// Wrong log-in name or password (which one is not said).
    Invalid,
    /// Locked after repeated failures until this moment (seconds since the epoch).
    Locked(i64),
}

/// A new browser session: the secret for the cookie and the CSRF token of its forms.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
    pub expires_at: i64,
}

pub struct Accounts<'a>(&'a Store);

impl Store {
    pub fn accounts(&self) -> Accounts<'_> {
        Accounts(self)
    }
}

/// A random secret, URL-safe.
pub fn new_secret() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

fn secret_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn parse_grants(rows: Vec<(String, String)>) -> Result<Vec<Grant>, StoreError> {
    rows.into_iter()
        .map(|(role, scope)| {
            let role = Role::parse(&role).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let scope =
                RegionCode::parse(&scope).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            Ok(Grant { role, scope })
        })
        .collect()
}

fn load_principal(conn: &mut DbConn, user_id: i64) -> Result<Option<Principal>, StoreError> {
    db_run!(conn, |c| {
        let user: Option<(String, String)> = users::table
            .find(user_id)
            .select((users::login, users::name))
            .first(c)
            .optional()?;
        let Some((login, name)) = user else {
            return Ok(None);
        };
        let rows: Vec<(String, String)> = grants::table
            .filter(grants::user_id.eq(user_id))
            .order(grants::id)
            .select((grants::role, grants::scope_code))
            .load(c)?;
        Ok(Some(Principal {
            user_id,
            login,
            name,
            grants: parse_grants(rows)?,
        }))
    })
}

impl Accounts<'_> {
    /// Creates a user with their first grants. A taken log-in name is a conflict.
    pub async fn create_user(
        &self,
        login: Login,
        name: &str,
        password_hash: String,
        first_grants: Vec<Grant>,
        actor: Actor,
    ) -> Result<i64, StoreError> {
        let name = name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(StoreError::Other("a name has 1 to 100 characters".into()));
        }
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let now = unix_now();
                    let id: i64 = diesel::insert_into(users::table)
                        .values((
                            users::login.eq(login.as_str()),
                            users::name.eq(&name),
                            users::password_hash.eq(&password_hash),
                            users::failed_logins.eq(0),
                            users::created_at.eq(now),
                        ))
                        .returning(users::id)
                        .get_result(c)?;
                    log_access!(
                        c,
                        &actor.entry(
                            &format!("user:{}", login.as_str()),
                            AccessAction::UserCreated
                        )
                    )?;
                    for g in &first_grants {
                        diesel::insert_into(grants::table)
                            .values((
                                grants::user_id.eq(id),
                                grants::role.eq(g.role.as_str()),
                                grants::scope_code.eq(g.scope.as_str()),
                                grants::granted_at.eq(now),
                            ))
                            .execute(c)?;
                        let subject =
                            format!("user:{} grant:{}@{}", login.as_str(), g.role, g.scope);
                        log_access!(
                            c,
                            &actor
                                .entry(&subject, AccessAction::GrantAdded)
                                .in_region(g.scope.as_str())
                        )?;
                    }
                    Ok(id)
                })
            })
            .await
    }

    /// Adds a grant to a user by log-in name.
    pub async fn grant(&self, login: Login, grant: Grant, actor: Actor) -> Result<(), StoreError> {
        self.change_grant(login, grant, actor, true).await
    }

    /// Removes a grant; removing one the user does not hold is `NotFound`.
    pub async fn revoke(&self, login: Login, grant: Grant, actor: Actor) -> Result<(), StoreError> {
        self.change_grant(login, grant, actor, false).await
    }

    async fn change_grant(
        &self,
        login: Login,
        grant: Grant,
        actor: Actor,
        add: bool,
    ) -> Result<(), StoreError> {
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let user_id: i64 = users::table
                        .filter(users::login.eq(login.as_str()))
                        .select(users::id)
                        .first(c)?;
                    let subject = format!(
                        "user:{} grant:{}@{}",
                        login.as_str(),
                        grant.role,
                        grant.scope
                    );
                    if add {
                        diesel::insert_into(grants::table)
                            .values((
                                grants::user_id.eq(user_id),
                                grants::role.eq(grant.role.as_str()),
                                grants::scope_code.eq(grant.scope.as_str()),
                                grants::granted_at.eq(unix_now()),
                            ))
                            .execute(c)?;
                        log_access!(
                            c,
                            &actor
                                .entry(&subject, AccessAction::GrantAdded)
                                .in_region(grant.scope.as_str())
                        )?;
                    } else {
                        let n = diesel::delete(
                            grants::table
                                .filter(grants::user_id.eq(user_id))
                                .filter(grants::role.eq(grant.role.as_str()))
                                .filter(grants::scope_code.eq(grant.scope.as_str())),
                        )
                        .execute(c)?;
                        if n == 0 {
                            return Err(StoreError::NotFound);
                        }
                        log_access!(
                            c,
                            &actor
                                .entry(&subject, AccessAction::GrantRevoked)
                                .in_region(grant.scope.as_str())
                        )?;
                    }
                    // A change of grants ends the user's sessions, so no page keeps old rights.
                    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id)))
                        .execute(c)?;
                    Ok(())
                })
            })
            .await
    }

    /// Sets a new password hash: the lock-out is lifted and every session and API token of
    /// the user ends, so that whoever held the old password is out.
    pub async fn reset_password(
        &self,
        login: Login,
        password_hash: String,
        actor: Actor,
    ) -> Result<(), StoreError> {
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let user_id: i64 =
                        diesel::update(users::table.filter(users::login.eq(login.as_str())))
                            .set((
                                users::password_hash.eq(&password_hash),
                                users::failed_logins.eq(0),
                                users::locked_until.eq(None::<i64>),
                            ))
                            .returning(users::id)
                            .get_result(c)?;
                    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id)))
                        .execute(c)?;
                    diesel::delete(api_tokens::table.filter(api_tokens::user_id.eq(user_id)))
                        .execute(c)?;
                    log_access!(
                        c,
                        &actor.entry(
                            &format!("user:{}", login.as_str()),
                            AccessAction::PasswordReset
                        )
                    )?;
                    Ok(())
                })
            })
            .await
    }

    /// Lifts a lock-out after failed log-ins.
    pub async fn unlock(&self, login: Login, actor: Actor) -> Result<(), StoreError> {
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let n = diesel::update(users::table.filter(users::login.eq(login.as_str())))
                        .set((
                            users::failed_logins.eq(0),
                            users::locked_until.eq(None::<i64>),
                        ))
                        .execute(c)?;
                    if n == 0 {
                        return Err(StoreError::NotFound);
                    }
                    log_access!(
                        c,
                        &actor.entry(&format!("user:{}", login.as_str()), AccessAction::Unlocked)
                    )?;
                    Ok(())
                })
            })
            .await
    }

    /// The id of the user with this log-in name.
    pub async fn id_of(&self, login: &str) -> Result<Option<i64>, StoreError> {
        let login = login.to_owned();
        self.0
            .run(move |conn| {
                Ok(db_run!(conn, |c| users::table
                    .filter(users::login.eq(&login))
                    .select(users::id)
                    .first::<i64>(c)
                    .optional())?)
            })
            .await
    }

    /// The id of the user with this log-in name who holds `role` (on any scope).
    pub async fn holder_of(&self, login: &str, role: Role) -> Result<Option<i64>, StoreError> {
        let login = login.to_owned();
        self.0
            .run(move |conn| {
                Ok(db_run!(conn, |c| users::table
                    .inner_join(grants::table)
                    .filter(users::login.eq(&login))
                    .filter(grants::role.eq(role.as_str()))
                    .select(users::id)
                    .first::<i64>(c)
                    .optional())?)
            })
            .await
    }

    /// The log-in name of a user.
    pub async fn login_of(&self, id: i64) -> Result<Option<String>, StoreError> {
        self.0
            .run(move |conn| {
                Ok(db_run!(conn, |c| users::table
                    .find(id)
                    .select(users::login)
                    .first::<String>(c)
                    .optional())?)
            })
            .await
    }

    /// Every user with their grants, by log-in name.
    pub async fn list(
        &self,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<UserSummary>, i64), StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let total: i64 = users::table.count().get_result(c)?;
                    let rows: Vec<(i64, String, String, Option<i64>)> = users::table
                        .order(users::login)
                        .offset(offset)
                        .limit(limit)
                        .select((users::id, users::login, users::name, users::locked_until))
                        .load(c)?;
                    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
                    let all: Vec<(i64, String, String)> = grants::table
                        .filter(grants::user_id.eq_any(&ids))
                        .order(grants::id)
                        .select((grants::user_id, grants::role, grants::scope_code))
                        .load(c)?;
                    let mut out = Vec::with_capacity(rows.len());
                    for (id, login, name, locked_until) in rows {
                        let mine = all
                            .iter()
                            .filter(|g| g.0 == id)
                            .map(|g| (g.1.clone(), g.2.clone()))
                            .collect();
                        out.push(UserSummary {
                            id,
                            login,
                            name,
                            grants: parse_grants(mine)?,
                            locked_until,
                        });
                    }
                    Ok((out, total))
                })
            })
            .await
    }

    /// Checks a log-in. Failures count towards a lock-out; every attempt is logged.
    pub async fn authenticate(
        &self,
        login: &str,
        password: &str,
        address: &str,
    ) -> Result<LoginOutcome, StoreError> {
        let (login, password, address) = (
            login.trim().to_lowercase(),
            password.to_owned(),
            address.to_owned(),
        );
        self.0
            .run(move |conn| {
                let now = unix_now();
                let subject = format!("user:{}", login.chars().take(64).collect::<String>());
                let user: Option<(i64, String, i32, Option<i64>)> =
                    db_run!(conn, |c| users::table
                        .filter(users::login.eq(&login))
                        .select((
                            users::id,
                            users::password_hash,
                            users::failed_logins,
                            users::locked_until
                        ))
                        .first(c)
                        .optional())?;
                // Attempts on a known user are filed under the user's region for its auditors.
                let principal = match &user {
                    Some((id, ..)) => load_principal(conn, *id)?,
                    None => None,
                };
                let actor = Actor {
                    user_id: principal.as_ref().map(|p| p.user_id),
                    login: login.clone(),
                    address: address.clone(),
                    region: principal.as_ref().and_then(home_region).map(str::to_owned),
                };
                let failed = || actor.entry(&subject, AccessAction::LoginFailed);
                let Some((id, hash, _, locked_until)) = user else {
                    // Spend the same time as a real check, so timing does not reveal log-in names.
                    account::verify_password(&password, DUMMY_HASH);
                    db_write!(conn, |c| log_access!(c, &failed())
                        .map_err(StoreError::from))?;
                    return Ok(LoginOutcome::Invalid);
                };
                if let Some(until) = locked_until.filter(|u| *u > now) {
                    db_write!(conn, |c| log_access!(c, &failed())
                        .map_err(StoreError::from))?;
                    return Ok(LoginOutcome::Locked(until));
                }
                if !account::verify_password(&password, &hash) {
                    let until = db_write!(conn, |c| {
                        let n: i32 = diesel::update(users::table.find(id))
                            .set(users::failed_logins.eq(users::failed_logins + 1))
                            .returning(users::failed_logins)
                            .get_result(c)?;
                        let until = lockout_after(n as u32).map(|d| now + d.whole_seconds());
                        diesel::update(users::table.find(id))
                            .set(users::locked_until.eq(until))
                            .execute(c)?;
                        log_access!(c, &failed())?;
                        Ok(until)
                    })?;
                    return Ok(match until {
                        Some(u) => LoginOutcome::Locked(u),
                        None => LoginOutcome::Invalid,
                    });
                }
                db_write!(conn, |c| {
                    diesel::update(users::table.find(id))
                        .set((
                            users::failed_logins.eq(0),
                            users::locked_until.eq(None::<i64>),
                        ))
                        .execute(c)?;
                    log_access!(c, &actor.entry(&subject, AccessAction::Login))?;
                    Ok(())
                })?;
                Ok(LoginOutcome::Success(
                    principal.ok_or(StoreError::NotFound)?,
                ))
            })
            .await
    }

    /// Starts a browser session for a user who has just logged in.
    pub async fn create_session(&self, user_id: i64) -> Result<NewSession, StoreError> {
        self.0
            .run(move |conn| {
                let session = NewSession {
                    token: new_secret(),
                    csrf_token: new_secret(),
                    expires_at: unix_now() + SESSION_SECONDS,
                };
                db_write!(conn, |c| {
                    diesel::insert_into(sessions::table)
                        .values((
                            sessions::token_hash.eq(secret_hash(&session.token)),
                            sessions::user_id.eq(user_id),
                            sessions::csrf_token.eq(&session.csrf_token),
                            sessions::created_at.eq(unix_now()),
                            sessions::expires_at.eq(session.expires_at),
                        ))
                        .execute(c)?;
                    // Expired sessions of anyone are swept as new ones are made.
                    diesel::delete(sessions::table.filter(sessions::expires_at.lt(unix_now())))
                        .execute(c)?;
                    Ok(())
                })?;
                Ok(session)
            })
            .await
    }

    /// The user and CSRF token of a live session.
    pub async fn session(&self, token: &str) -> Result<Option<(Principal, String)>, StoreError> {
        let hash = secret_hash(token);
        self.0
            .run(move |conn| {
                let row: Option<(i64, String)> = db_run!(conn, |c| sessions::table
                    .find(&hash)
                    .filter(sessions::expires_at.gt(unix_now()))
                    .select((sessions::user_id, sessions::csrf_token))
                    .first(c)
                    .optional())?;
                let Some((user_id, csrf)) = row else {
                    return Ok(None);
                };
                Ok(load_principal(conn, user_id)?.map(|p| (p, csrf)))
            })
            .await
    }

    /// Ends a session (log-out), logging it.
    pub async fn end_session(
        &self,
        token: &str,
        principal: &Principal,
        address: &str,
    ) -> Result<(), StoreError> {
        let hash = secret_hash(token);
        let actor = Actor::user(principal, address);
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    diesel::delete(sessions::table.find(&hash)).execute(c)?;
                    log_access!(
                        c,
                        &actor.entry(&format!("user:{}", actor.login), AccessAction::Logout)
                    )?;
                    Ok(())
                })
            })
            .await
    }

    /// Issues an API bearer token for a user who has just authenticated.
    pub async fn create_token(
        &self,
        principal: &Principal,
        address: &str,
    ) -> Result<(String, i64), StoreError> {
        let user_id = principal.user_id;
        let actor = Actor::user(principal, address);
        self.0
            .run(move |conn| {
                let token = new_secret();
                let expires_at = unix_now() + TOKEN_SECONDS;
                db_write!(conn, |c| {
                    diesel::insert_into(api_tokens::table)
                        .values((
                            api_tokens::token_hash.eq(secret_hash(&token)),
                            api_tokens::user_id.eq(user_id),
                            api_tokens::created_at.eq(unix_now()),
                            api_tokens::expires_at.eq(expires_at),
                        ))
                        .execute(c)?;
                    let subject = format!("user:{}", actor.login);
                    log_access!(c, &actor.entry(&subject, AccessAction::TokenIssued))?;
                    Ok(())
                })?;
                Ok((token, expires_at))
            })
            .await
    }

    /// The user of a live API token.
    pub async fn token(&self, token: &str) -> Result<Option<Principal>, StoreError> {
        let hash = secret_hash(token);
        self.0
            .run(move |conn| {
                let user_id: Option<i64> = db_run!(conn, |c| api_tokens::table
                    .find(&hash)
                    .filter(api_tokens::expires_at.gt(unix_now()))
                    .select(api_tokens::user_id)
                    .first(c)
                    .optional())?;
                match user_id {
                    Some(id) => load_principal(conn, id),
                    None => Ok(None),
                }
            })
            .await
    }
}

/// A valid argon2id hash of a random password nobody knows.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$JfYyQnIEYBuHH7C0V8pOmGgbrbODdusZs+2qzu0tcBQ";
