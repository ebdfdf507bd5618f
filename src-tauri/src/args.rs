//! The app's own command-line options (`--data-dir DIR`, `--hidden`), read before Tauri starts.

use std::path::PathBuf;

/// `--data-dir DIR` or `--data-dir=DIR` from `args`, else `DEALER_DATA_DIR`.
pub fn data_dir_from(
    args: impl IntoIterator<Item = String>,
    env: Option<String>,
) -> Option<PathBuf> {
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--data-dir" {
            return args.next().map(PathBuf::from);
        }
        if let Some(value) = arg.strip_prefix("--data-dir=") {
            return Some(PathBuf::from(value));
        }
    }
    env.filter(|value| !value.is_empty()).map(PathBuf::from)
}

/// `--hidden`: started at login, the window stays hidden and only the tray shows.
pub fn hidden_from<S: AsRef<str>>(args: impl IntoIterator<Item = S>) -> bool {
    args.into_iter()
        .any(|arg| arg.as_ref() == crate::window::HIDDEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn flag_wins_over_environment() {
        assert_eq!(
            data_dir_from(args(&["app", "--data-dir", "/a"]), Some("/b".into())),
            Some(PathBuf::from("/a"))
        );
        assert_eq!(
            data_dir_from(args(&["app", "--data-dir=/c"]), None),
            Some(PathBuf::from("/c"))
        );
        assert_eq!(
            data_dir_from(args(&["app"]), Some("/b".into())),
            Some(PathBuf::from("/b"))
        );
        assert_eq!(data_dir_from(args(&["app"]), Some(String::new())), None);
    }

    #[test]
    fn hidden_is_a_flag_of_its_own() {
        assert!(hidden_from(args(&["app", "--hidden"])));
        assert!(hidden_from(args(&["app", "--data-dir", "/a", "--hidden"])));
        assert!(!hidden_from(args(&["app", "--data-dir", "/a"])));
        assert!(!hidden_from(args(&["app", "--hidden-x"])));
    }
}
