//! The data key file. It lives outside the database (DESIGN.md §4): a copy of the database
//! alone reveals no sealed identifier or note. Back it up apart from the database.

use std::io::Write;
use std::path::Path;

use maeul_core::crypto::DataKey;

use crate::StoreError;

/// Reads the key at `path`, creating a new random key there (readable by the owner only)
/// when there is none. Several processes starting at once end up with the same key.
pub fn load_or_create(path: &Path) -> Result<DataKey, StoreError> {
    let failed = |what: &str, e: std::io::Error| {
        StoreError::Other(format!(
            "cannot {what} the data key {}: {e}",
            path.display()
        ))
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| failed("create the directory of", e))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(mut file) => {
            // Written and synced before anything is sealed with it.
            file.write_all(format!("{}\n", DataKey::generate()).as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(|e| failed("write", e))?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(failed("create", e)),
    }
    // A process that lost the race may find the file still empty for a moment.
    for _ in 0..50 {
        let text = std::fs::read_to_string(path).map_err(|e| failed("read", e))?;
        if !text.trim().is_empty() {
            return DataKey::parse(&text)
                .map_err(|e| StoreError::Other(format!("{}: {e}", path.display())));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    Err(StoreError::Other(format!("{} is empty", path.display())))
}
