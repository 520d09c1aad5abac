use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// The one error type of the store. Constraint violations are mapped here, in one place, to
/// the domain errors callers can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("already exists")]
    Conflict,
    #[error("refers to something that does not exist")]
    MissingReference,
    /// PostgreSQL keeps no NUL character in text (SQLite does): a value that holds one.
    #[error("a text holds a NUL character")]
    TextWithNul,
    #[error("invalid stored data: {0}")]
    Corrupt(String),
    #[error("database: {0}")]
    Database(DieselError),
    #[error("database connection: {0}")]
    Connection(String),
    #[error("{0}")]
    Other(String),
}

impl From<DieselError> for StoreError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::NotFound => StoreError::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                StoreError::Conflict
            }
            DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                StoreError::MissingReference
            }
            // SQLSTATE 22021: invalid byte sequence for encoding "UTF8": 0x00.
            DieselError::DatabaseError(_, info) if info.message().contains("0x00") => {
                StoreError::TextWithNul
            }
            other => StoreError::Database(other),
        }
    }
}

impl From<diesel::r2d2::PoolError> for StoreError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        StoreError::Connection(e.to_string())
    }
}
