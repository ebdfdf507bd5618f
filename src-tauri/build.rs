//! Tauri's build step, with the app's commands declared so each needs its own permission
//! (see capabilities/main-window.json).

fn main() {
    let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/dist/index.html");
    println!("cargo:rerun-if-changed=../ui/dist");
    if std::env::var_os("CARGO_FEATURE_CUSTOM_PROTOCOL").is_some() && !dist.exists() {
        panic!(
            "the front end is not built ({} is missing): run `npm --prefix ui ci && npm --prefix \
             ui run build`, or scripts/run / scripts/test which do it",
            dist.display()
        );
    }
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(dealer_portal_commands())),
    )
    .unwrap_or_else(|err| panic!("tauri build step failed: {err:#}"));
}

/// The command names, read from the one list in src/commands.rs (`with_commands!`), so a new
/// command needs no edit here.
fn dealer_portal_commands() -> &'static [&'static str] {
    println!("cargo:rerun-if-changed=src/commands.rs");
    let source = std::fs::read_to_string("src/commands.rs")
        .unwrap_or_else(|err| panic!("reading src/commands.rs: {err}"));
    let names: Vec<&'static str> = command_list(&source)
        .into_iter()
        .map(|name| &*Box::leak(name.into_boxed_str()))
        .collect();
    assert!(!names.is_empty(), "no commands found in src/commands.rs");
    Box::leak(names.into_boxed_slice())
}

/// The names in the `$callback! { name(args) -> Type; … }` block of `with_commands!`.
fn command_list(source: &str) -> Vec<String> {
    source
        .lines()
        .skip_while(|line| !line.contains("$callback! {"))
        .skip(1)
        .take_while(|line| line.trim() != "}")
        .filter_map(|line| {
            let line = line.trim();
            let name = line.split('(').next()?;
            (line.ends_with(';') && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                .then(|| name.to_string())
        })
        .collect()
}
