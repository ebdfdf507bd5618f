//! Inputs: structured mutations of a recorded JSON payload, and arbitrary bytes.

use std::fmt;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use serde_json::{json, Map, Value};

/// Bytes handed to a parser; printed as text (lossily) so a failure reads.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Payload(pub Vec<u8>);

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(&self.0))
    }
}

/// One edit of a JSON document, applied at the node `at` picks (in document order).
#[derive(Debug, Clone)]
enum Edit {
    /// The node becomes a hostile value.
    Replace(Value),
    /// The node is removed from its object or array.
    Delete,
    /// An array grows by copies of its own items (at most ~300 in all); anything else becomes
    /// an array of copies of itself.
    Duplicate(usize),
    /// The node is wrapped this deep in arrays or objects (past serde_json's 128 levels too).
    Nest(usize, bool),
    /// An object gains (or changes) a key, one of those the payload already uses.
    AddKey(Index, Value),
    /// A number, or a string that reads as one, becomes a hostile number (`at` picks among
    /// those leaves only): amounts, quantities, weights and ids are where arithmetic happens.
    Numeric(Value),
}

/// Texts that broke or could break number, date and id parsing.
const NASTY: &[&str] = &[
    "1.aé",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e400",
    "-1e400",
    "1e-400",
    "1e3",
    "",
    " ",
    "-",
    "+",
    ".",
    "-.",
    "-0",
    "0.",
    ".5",
    "+1",
    "0x10",
    "1_000",
    "1,99",
    "12.3450",
    "１２",
    "٣",
    "\u{0}",
    "\u{feff}1",
    "\u{202e}12",
    "é",
    "🦀",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "4294967295",
    "4294967296",
    "92233720368547758.07",
    "92233720368547758.08",
    "-92233720368547758.08",
    "46116860184547758.04",
    "170141183460469231731687303715884105727",
    "170141183.460469231731687303715884105727",
    "340282366920938463463374607431768211456",
    "99999999999999999999999999999999999999.99",
    "0.000000000000000000000000000000000000001",
    "9999-12-31T23:59:59Z",
    "0000-01-01T00:00:00Z",
    "+262143-12-31T23:59:59Z",
    "-262143-01-01T00:00:00Z",
    "2025-02-30T00:00:00Z",
    "2025-01-01T00:00:00+99:59",
    "2025-01-01T00:00:00",
    "1970-01-01T00:00:00.0000000001Z",
    "Fri, 31 Dec 9999 23:59:59 +0000",
    "Mon, 01 Jan 0000 00:00:00 -2359",
    "Tue, 20 Nov 2018 00:00:00 +9999",
    "gid://shopify/Order/",
    "gid://shopify/Order/18446744073709551616",
    "USD",
    "usd",
    "XXX",
    "JPY",
    "KWD",
    "GRAMS",
    "POUNDS",
    "Declined",
    "On Hold",
    "cancelled",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "a\"b\\c",
    "&amp;&#0;&#x110000;&#99999999999;",
];

/// A string a peer might send where a number, a date, an id or a name belongs.
pub(crate) fn hostile_text() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        4 => select(NASTY).prop_map(str::to_string),
        3 => "-?[0-9]{0,45}(\\.[0-9]{0,34})?([eE][+-]?[0-9]{1,5})?",
        2 => ".{0,40}",
        1 => "[ -~]{0,40}",
        1 => (1usize..4096, select(&["9", "0", "é", " ", "&amp;"][..]))
            .prop_map(|(n, unit)| unit.repeat(n)),
    ]
}

fn number(value: f64) -> Value {
    serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number)
}

/// A value a peer might send anywhere.
fn hostile() -> impl Strategy<Value = Value> + Clone {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        2 => prop_oneof![
            Just(i64::MAX),
            Just(i64::MIN),
            Just(-1_i64),
            Just(0_i64),
            Just(i64::from(i32::MAX)),
            Just(i64::from(u32::MAX)),
            any::<i64>(),
        ]
        .prop_map(Value::from),
        1 => prop_oneof![Just(u64::MAX), any::<u64>()].prop_map(Value::from),
        1 => prop_oneof![
            Just(1e308),
            Just(-1e308),
            Just(f64::MIN_POSITIVE),
            Just(-0.0),
            Just(0.1),
            Just(4_294_967_296.5),
            any::<f64>(),
        ]
        .prop_map(number),
        5 => hostile_text().prop_map(Value::String),
        1 => Just(json!([])),
        1 => Just(json!({})),
        1 => Just(json!([null, "", 0, {}])),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        6 => hostile().prop_map(Edit::Replace),
        2 => Just(Edit::Delete),
        1 => (2usize..50).prop_map(Edit::Duplicate),
        1 => (1usize..160, any::<bool>()).prop_map(|(depth, array)| Edit::Nest(depth, array)),
        1 => (any::<Index>(), hostile()).prop_map(|(key, value)| Edit::AddKey(key, value)),
        4 => numeric().prop_map(Edit::Numeric),
    ]
}

/// A hostile number, as a JSON number or as text.
fn numeric() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => select(NASTY)
            .prop_filter("a number-like text", |t| {
                t.bytes().any(|b| b.is_ascii_digit()) && !t.contains(':')
            })
            .prop_map(|t| Value::String(t.to_string())),
        2 => "-?[0-9]{1,40}(\\.[0-9]{1,20})?".prop_map(Value::String),
        2 => prop_oneof![Just(i64::MAX), Just(i64::MIN), Just(0), Just(-1), any::<i64>()]
            .prop_map(Value::from),
        1 => prop_oneof![Just(u64::MAX), any::<u64>()].prop_map(Value::from),
        1 => prop_oneof![Just(1e308), Just(4_294_967_296.5), any::<f64>()].prop_map(number),
    ]
}

fn is_numeric(value: &Value) -> bool {
    match value {
        Value::Number(_) => true,
        Value::String(text) => {
            let text = text.trim();
            !text.is_empty()
                && text.parse::<f64>().is_ok()
                && text
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b"-.eE+".contains(&b))
        }
        _ => false,
    }
}

/// `seed` with one to five edits.
pub(crate) fn mutated(seed: Value) -> impl Strategy<Value = Value> {
    let keys = keys_of(&seed);
    vec((any::<Index>(), edit()), 1..=5).prop_map(move |edits| {
        let mut value = seed.clone();
        for (at, edit) in edits {
            apply(&mut value, &at, edit, &keys);
        }
        value
    })
}

/// Mutations of `seed` serialized (three in four), or arbitrary bytes, or the seed's bytes cut
/// short or spliced.
pub(crate) fn bytes_or_mutation(seed: Value) -> impl Strategy<Value = Payload> {
    let text = serde_json::to_vec(&seed).unwrap_or_default();
    prop_oneof![
        12 => mutated(seed).prop_map(|value| Payload(serde_json::to_vec(&value).unwrap_or_default())),
        2 => vec(any::<u8>(), 0..1024).prop_map(Payload),
        1 => (any::<Index>(), any::<Index>(), vec(any::<u8>(), 0..16)).prop_map(
            move |(cut, at, insert)| {
                let mut bytes = text.clone();
                let cut = cut.index(bytes.len() + 1);
                bytes.truncate(cut.max(1).min(bytes.len()));
                let at = at.index(bytes.len() + 1);
                bytes.splice(at..at, insert);
                Payload(bytes)
            }
        ),
    ]
}

fn keys_of(value: &Value) -> Vec<String> {
    let mut keys = vec!["errors".to_string(), "id".to_string()];
    let mut stack = vec![value];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                keys.extend(map.keys().cloned());
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// The JSON Pointers of every node, the root first.
fn pointers(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), value)];
    while let Some((at, node)) = stack.pop() {
        match node {
            Value::Object(map) => {
                for (key, child) in map {
                    let token = key.replace('~', "~0").replace('/', "~1");
                    stack.push((format!("{at}/{token}"), child));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    stack.push((format!("{at}/{i}"), child));
                }
            }
            _ => {}
        }
        out.push(at);
    }
    out
}

fn apply(root: &mut Value, at: &Index, edit: Edit, keys: &[String]) {
    let all = pointers(root);
    if let Edit::Numeric(value) = edit {
        let numbers: Vec<&String> = all
            .iter()
            .filter(|p| root.pointer(p).is_some_and(is_numeric))
            .collect();
        if numbers.is_empty() {
            return;
        }
        let pointer = at.get(&numbers).to_string();
        if let Some(node) = root.pointer_mut(&pointer) {
            *node = value;
        }
        return;
    }
    let pointer = at.get(&all).clone();
    match edit {
        Edit::Delete => {
            let Some((parent, last)) = pointer.rsplit_once('/') else {
                return;
            };
            let last = last.replace("~1", "/").replace("~0", "~");
            match root.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(&last);
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = last.parse::<usize>() {
                        if i < items.len() {
                            items.remove(i);
                        }
                    }
                }
                _ => {}
            }
        }
        edit => {
            let Some(node) = root.pointer_mut(&pointer) else {
                return;
            };
            match edit {
                Edit::Replace(value) => *node = value,
                Edit::Duplicate(times) => match node {
                    Value::Array(items) if !items.is_empty() => {
                        let copies: Vec<Value> = items
                            .iter()
                            .cycle()
                            .take((items.len() * times).min(300))
                            .cloned()
                            .collect();
                        items.extend(copies);
                    }
                    other => *other = Value::Array(vec![other.clone(); times]),
                },
                Edit::Nest(depth, array) => {
                    let mut inner = node.take();
                    for _ in 0..depth {
                        inner = if array {
                            Value::Array(vec![inner])
                        } else {
                            Value::Object(Map::from_iter([("x".to_string(), inner)]))
                        };
                    }
                    *node = inner;
                }
                Edit::AddKey(key, value) => {
                    if let Value::Object(map) = node {
                        map.insert(key.get(keys).clone(), value);
                    }
                }
                Edit::Delete | Edit::Numeric(_) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    #[test]
    fn mutations_change_the_payload_and_keep_it_json() {
        let seed = json!({"a": [1, {"b": "x"}], "c/d": {"e~": true}});
        let strategy = mutated(seed.clone());
        let mut runner = TestRunner::deterministic();
        let mut changed = 0;
        for _ in 0..200 {
            let value = strategy.new_tree(&mut runner).unwrap().current();
            changed += usize::from(value != seed);
        }
        assert!(
            changed > 150,
            "only {changed} of 200 mutations changed the seed"
        );
        assert_eq!(pointers(&seed).len(), 7);
    }
}
