//! Shopify's search syntax for `orders(query:)`, the part a sync client uses:
//! `updated_at:>'2024-05-01T10:00:00Z'` (also `>=`, `<`, `<=`, `=`, quoted or not, several terms
//! ANDed), on `updated_at`, `created_at`, `processed_at` and `id`. Like Shopify, a term the
//! sandbox cannot use is ignored with a warning in `extensions.search`, not an error.

use chrono::DateTime;

use crate::dates::{millis, parse_iso8601, utc_offset};
use crate::model::SandboxOrder;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    UpdatedAt,
    CreatedAt,
    Id,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Comparison {
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Equal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Filter {
    field: Field,
    comparison: Comparison,
    /// Milliseconds since the epoch for dates, the legacy id for `id`.
    value: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Warning {
    pub field: String,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Search {
    filters: Vec<Filter>,
    pub warnings: Vec<Warning>,
}

impl Search {
    pub(crate) fn parse(query: &str) -> Search {
        let mut search = Search::default();
        for term in tokens(query) {
            match term.as_str() {
                "AND" => {}
                "OR" | "NOT" => search.warn(&term, "The sandbox only ANDs search terms."),
                _ => search.term(&term),
            }
        }
        search
    }

    pub(crate) fn matches(&self, order: &SandboxOrder) -> bool {
        self.filters.iter().all(|filter| {
            let actual = match filter.field {
                Field::UpdatedAt => millis(order.updated_at),
                Field::CreatedAt => millis(order.created_at),
                Field::Id => i64::try_from(order.id).unwrap_or(i64::MAX),
            };
            match filter.comparison {
                Comparison::Greater => actual > filter.value,
                Comparison::GreaterOrEqual => actual >= filter.value,
                Comparison::Less => actual < filter.value,
                Comparison::LessOrEqual => actual <= filter.value,
                Comparison::Equal => actual == filter.value,
            }
        })
    }

    fn term(&mut self, term: &str) {
        let Some((name, raw)) = term.split_once(':') else {
            self.warn(term, "Free-text search is not supported by the sandbox.");
            return;
        };
        let field = match name {
            "updated_at" => Field::UpdatedAt,
            "created_at" | "processed_at" => Field::CreatedAt,
            "id" => Field::Id,
            _ => {
                self.warn(name, "Invalid search field for this query.");
                return;
            }
        };
        let (comparison, raw) = comparison(raw);
        let raw = unquote(raw);
        let value = match field {
            Field::Id => raw.parse::<i64>().ok(),
            Field::UpdatedAt | Field::CreatedAt => {
                parse_iso8601(raw, utc_offset()).map(|at: DateTime<_>| millis(at))
            }
        };
        match value {
            Some(value) => self.filters.push(Filter {
                field,
                comparison,
                value,
            }),
            None => self.warn(name, &format!("Input `{raw}` is not an accepted value.")),
        }
    }

    fn warn(&mut self, field: &str, message: &str) {
        self.warnings.push(Warning {
            field: field.to_owned(),
            message: message.to_owned(),
        });
    }
}

fn comparison(raw: &str) -> (Comparison, &str) {
    for (prefix, comparison) in [
        (">=", Comparison::GreaterOrEqual),
        ("<=", Comparison::LessOrEqual),
        (">", Comparison::Greater),
        ("<", Comparison::Less),
    ] {
        if let Some(rest) = raw.strip_prefix(prefix) {
            return (comparison, rest);
        }
    }
    (Comparison::Equal, raw)
}

fn unquote(raw: &str) -> &str {
    for quote in ['\'', '"'] {
        if let Some(inner) = raw
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return inner;
        }
    }
    raw
}

/// Splits on whitespace outside quotes.
fn tokens(query: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut quote = None;
    for c in query.chars() {
        match (quote, c) {
            (None, '\'' | '"') => {
                quote = Some(c);
                current.push(c);
            }
            (Some(open), _) if c == open => {
                quote = None;
                current.push(c);
            }
            (None, c) if c.is_whitespace() => {
                if !current.is_empty() {
                    tokens.push(std::mem::take(&mut current));
                }
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PlaceOrder;

    fn order_at(updated: &str) -> SandboxOrder {
        let at = DateTime::parse_from_rfc3339(updated).unwrap().to_utc();
        let mut book = crate::book::OrderBook::new(crate::model::StoreKind::Shopify);
        let mut order = book.place(PlaceOrder::test_order());
        order.updated_at = at;
        order.created_at = at;
        order
    }

    #[test]
    fn updated_at_comparisons() {
        let order = order_at("2024-05-01T10:00:00.500Z");
        let matches = |q: &str| Search::parse(q).matches(&order);
        assert!(matches("updated_at:>'2024-05-01T10:00:00Z'"));
        assert!(matches("updated_at:>2024-05-01T10:00:00Z"));
        assert!(matches("updated_at:>\"2024-05-01T10:00:00Z\""));
        assert!(!matches("updated_at:>'2024-05-01T10:00:00.500Z'"));
        assert!(matches("updated_at:>='2024-05-01T10:00:00.500Z'"));
        assert!(matches("updated_at:<'2024-05-02'"));
        assert!(!matches("updated_at:>'2024-05-01T06:00:01-04:00'"));
        assert!(matches(
            "updated_at:>'2024-04-01' AND created_at:<='2024-05-01T10:00:01Z'"
        ));
    }

    #[test]
    fn unknown_terms_warn_and_are_ignored() {
        let search = Search::parse("financial_status:paid updated_at:>'garbage' hello");
        assert_eq!(search.warnings.len(), 3);
        assert!(search.filters.is_empty());
        assert_eq!(search.warnings[0].field, "financial_status");
    }
}
