//! Where the app keeps its data, and the few preferences it remembers.

use crate::error::{Error, Result};
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// Environment variable that overrides the data folder (tests use it).
pub const DATA_DIR_ENV: &str = "CONCLAVE_DATA_DIR";

/// The app's identifier, which names its folder in the platform's app-data
/// folder (as in `tauri.conf.json`).
pub const APP_ID: &str = "cn.conclave.app";

/// The data folder: `$CONCLAVE_DATA_DIR` when set, else the platform's
/// app-data folder (`~/.local/share/cn.conclave.app` on Linux), the same one
/// the window and the CLI use. `None` when the platform has none (no home).
pub fn data_dir() -> Option<PathBuf> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => dirs::data_dir().map(|d| d.join(APP_ID)),
    }
}

/// Preferences kept in `settings.json` in the data folder.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Settings {
    #[serde(default)]
    pub lang: Lang,
}

const FILE: &str = "settings.json";

impl Settings {
    /// Reads the settings. A missing file gives the defaults (first run); a
    /// damaged one gives them too (they are only preferences), with a warning.
    pub fn load(data_dir: &Path) -> Settings {
        let path = data_dir.join(FILE);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Settings::default(),
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "settings unreadable, using the defaults");
                return Settings::default();
            }
        };
        serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            tracing::warn!(path = %path.display(), error = %e, "settings damaged, using the defaults");
            Settings::default()
        })
    }

    /// Writes the settings atomically (temp file + rename).
    pub fn save(&self, data_dir: &Path) -> Result<()> {
        std::fs::create_dir_all(data_dir).map_err(Error::io(data_dir))?;
        let tmp = data_dir.join(format!("{FILE}.tmp"));
        let json = serde_json::to_vec_pretty(self)?;
        std::fs::write(&tmp, json).map_err(Error::io(&tmp))?;
        let dest = data_dir.join(FILE);
        std::fs::rename(&tmp, &dest).map_err(Error::io(&dest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_choice_survives_a_reload() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        assert_eq!(Settings::load(dir.path()).lang, Lang::Zh, "Chinese is the default");
        Settings { lang: Lang::En }.save(dir.path())?;
        assert_eq!(Settings::load(dir.path()).lang, Lang::En);
        Ok(())
    }

    #[test]
    fn corrupt_settings_fall_back_to_defaults() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join(FILE), b"{not json")?;
        assert_eq!(Settings::load(dir.path()), Settings::default());
        Ok(())
    }
}
