//! The server's host key: made once, kept with mode 0600, and reused on every
//! start, so that visitors never see "host key changed".

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::ssh_key::{HashAlg, LineEnding, PrivateKey};

/// Where the key lives unless `--host-key` says otherwise:
/// `$XDG_STATE_HOME/annals/ssh_host_ed25519_key`, else under `~/.local/state`.
pub fn default_path() -> Option<PathBuf> {
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| PathBuf::from(home).join(".local/state"))
        })?;
    Some(state.join("annals").join("ssh_host_ed25519_key"))
}

/// Reads the key at `path`, or makes an ed25519 key there when there is none.
/// Says whether it was made.
pub fn load_or_create(path: &Path) -> io::Result<(PrivateKey, bool)> {
    match fs::read(path) {
        Ok(text) => {
            let key = PrivateKey::from_openssh(&text).map_err(|e| {
                io::Error::other(format!(
                    "{}: not an OpenSSH private key ({e}); move it away and a new key is made",
                    path.display()
                ))
            })?;
            let mode = fs::metadata(path)?.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(io::Error::other(format!(
                    "{}: the host key is readable by others (mode {mode:o}); run `chmod 600 {}`",
                    path.display(),
                    path.display()
                )));
            }
            Ok((key, false))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok((create(path)?, true)),
        Err(e) => Err(io::Error::other(format!("{}: {e}", path.display()))),
    }
}

fn create(path: &Path) -> io::Result<PrivateKey> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| io::Error::other(format!("{}: {e}", dir.display())))?;
    }
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| io::Error::other(format!("no randomness: {e}")))?;
    let key = PrivateKey::from(Ed25519Keypair::from_seed(&seed));
    let text = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| io::Error::other(e.to_string()))?;
    // Created with 0600 from the start, and never over an existing file.
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| io::Error::other(format!("{}: {e}", path.display())))?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    Ok(key)
}

/// The fingerprint visitors' clients show: `SHA256:…`.
pub fn fingerprint(key: &PrivateKey) -> String {
    key.public_key().fingerprint(HashAlg::Sha256).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_with_mode_0600_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/annals/key");
        let (first, made) = load_or_create(&path).unwrap();
        assert!(made);
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir_mode = fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(dir_mode, 0o700);
        let (again, made) = load_or_create(&path).unwrap();
        assert!(!made);
        assert_eq!(fingerprint(&first), fingerprint(&again));
        assert!(fingerprint(&first).starts_with("SHA256:"));
    }

    #[test]
    fn a_key_others_can_read_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        load_or_create(&path).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let err = load_or_create(&path).unwrap_err().to_string();
        assert!(err.contains("chmod 600"), "{err}");
    }
}
