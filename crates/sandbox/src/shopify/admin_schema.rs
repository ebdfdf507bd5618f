//! Shopify's Admin API schema for the tests, as SDL, from the introspection result that the npm
//! package `@shopify/dev-mcp` ships (a devDependency of `ui/`, so `npm ci` there fetches it;
//! the exact version is pinned in `ui/package.json`). Shared by the sandbox's and the
//! connectors' tests through `#[path]`: one copy of the code, no test-only code in a library.

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::PathBuf;

use serde_json::Value;

/// The Admin API version the tests check against; the client's and the sandbox's constants
/// are asserted equal to it.
pub const VERSION: &str = "2026-07";

/// Where `npm ci` in `ui/` puts the schema.
pub fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!(
        "../../ui/node_modules/@shopify/dev-mcp/dist/data/admin_{VERSION}.json.gz"
    ))
}

/// The schema as SDL, descriptions kept (a test reads the supported tracking companies from
/// one).
pub fn sdl() -> String {
    static SDL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SDL.get_or_init(|| {
        let path = path();
        let file = std::fs::File::open(&path).unwrap_or_else(|e| {
            panic!(
                "Shopify's Admin API {VERSION} schema is not at {} ({e}); it comes with the \
                 front end's packages: run `npm ci` in ui/",
                path.display()
            )
        });
        let mut text = String::new();
        flate2::read::GzDecoder::new(file)
            .read_to_string(&mut text)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let json: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
        from_introspection(&json["data"]["__schema"])
    })
    .clone()
}

const BUILT_IN: [&str; 5] = ["String", "Int", "Float", "Boolean", "ID"];

/// Prints an introspection result (`__schema`) as SDL.
pub fn from_introspection(schema: &Value) -> String {
    let mut out = String::new();
    let root = |key: &str| schema[key]["name"].as_str().map(str::to_string);
    out.push_str("schema {\n");
    for (operation, key) in [
        ("query", "queryType"),
        ("mutation", "mutationType"),
        ("subscription", "subscriptionType"),
    ] {
        if let Some(name) = root(key) {
            let _ = writeln!(out, "  {operation}: {name}");
        }
    }
    out.push_str("}\n\n");
    for directive in list(&schema["directives"]) {
        let name = text(&directive["name"]);
        if ["skip", "include", "deprecated", "specifiedBy", "oneOf"].contains(&name) {
            continue;
        }
        description(&mut out, &directive["description"], "");
        let _ = write!(out, "directive @{name}");
        arguments(&mut out, &directive["args"], "");
        if directive["isRepeatable"].as_bool() == Some(true) {
            out.push_str(" repeatable");
        }
        let locations: Vec<&str> = list(&directive["locations"]).iter().map(text).collect();
        let _ = writeln!(out, " on {}\n", locations.join(" | "));
    }
    for ty in list(&schema["types"]) {
        let name = text(&ty["name"]);
        if name.starts_with("__") || BUILT_IN.contains(&name) {
            continue;
        }
        description(&mut out, &ty["description"], "");
        match text(&ty["kind"]) {
            "SCALAR" => {
                let _ = writeln!(out, "scalar {name}\n");
            }
            "ENUM" => {
                let _ = writeln!(out, "enum {name} {{");
                for value in list(&ty["enumValues"]) {
                    description(&mut out, &value["description"], "  ");
                    let _ = writeln!(out, "  {}", text(&value["name"]));
                }
                out.push_str("}\n\n");
            }
            "UNION" => {
                let members: Vec<&str> = list(&ty["possibleTypes"])
                    .iter()
                    .map(|t| text(&t["name"]))
                    .collect();
                let _ = writeln!(out, "union {name} = {}\n", members.join(" | "));
            }
            "INPUT_OBJECT" => {
                let _ = writeln!(out, "input {name} {{");
                for field in list(&ty["inputFields"]) {
                    input_value(&mut out, field, "  ");
                    out.push('\n');
                }
                out.push_str("}\n\n");
            }
            kind @ ("OBJECT" | "INTERFACE") => {
                let keyword = if kind == "OBJECT" {
                    "type"
                } else {
                    "interface"
                };
                let _ = write!(out, "{keyword} {name}");
                let interfaces: Vec<&str> = list(&ty["interfaces"])
                    .iter()
                    .map(|t| text(&t["name"]))
                    .collect();
                if !interfaces.is_empty() {
                    let _ = write!(out, " implements {}", interfaces.join(" & "));
                }
                out.push_str(" {\n");
                for field in list(&ty["fields"]) {
                    description(&mut out, &field["description"], "  ");
                    let _ = write!(out, "  {}", text(&field["name"]));
                    arguments(&mut out, &field["args"], "  ");
                    let _ = writeln!(out, ": {}", type_ref(&field["type"]));
                }
                out.push_str("}\n\n");
            }
            other => panic!("unknown kind {other} of {name}"),
        }
    }
    out
}

fn list(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

fn description(out: &mut String, value: &Value, indent: &str) {
    let Some(text) = value.as_str().filter(|text| !text.is_empty()) else {
        return;
    };
    let _ = writeln!(out, "{indent}\"\"\"");
    for line in text.replace("\"\"\"", "\\\"\"\"").lines() {
        let _ = writeln!(out, "{indent}{line}");
    }
    let _ = writeln!(out, "{indent}\"\"\"");
}

fn arguments(out: &mut String, args: &Value, indent: &str) {
    let args = list(args);
    if args.is_empty() {
        return;
    }
    out.push_str("(\n");
    let inner = format!("{indent}  ");
    for arg in args {
        input_value(out, arg, &inner);
        out.push('\n');
    }
    let _ = write!(out, "{indent})");
}

fn input_value(out: &mut String, value: &Value, indent: &str) {
    description(out, &value["description"], indent);
    let _ = write!(
        out,
        "{indent}{}: {}",
        text(&value["name"]),
        type_ref(&value["type"])
    );
    if let Some(default) = value["defaultValue"].as_str() {
        let _ = write!(out, " = {default}");
    }
}

fn type_ref(ty: &Value) -> String {
    match text(&ty["kind"]) {
        "NON_NULL" => format!("{}!", type_ref(&ty["ofType"])),
        "LIST" => format!("[{}]", type_ref(&ty["ofType"])),
        _ => text(&ty["name"]).to_string(),
    }
}
