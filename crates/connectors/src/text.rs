//! Small text clean-ups shared by the mappers.

/// `Some(trimmed)` unless the text is missing or blank: stores send `""` for "none".
pub(crate) fn present(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// "First Last", skipping blank parts.
pub(crate) fn full_name(first: Option<&str>, last: Option<&str>) -> Option<String> {
    let parts: Vec<String> = [first, last].into_iter().filter_map(present).collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// Decodes the HTML entities WordPress puts in product names (`Ship Your Idea &ndash; Black`).
/// Unknown entities are left as they are.
pub(crate) fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let decoded = tail
            .find(';')
            .filter(|end| *end <= 10)
            .and_then(|end| entity(&tail[1..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "hellip" => '…',
        "times" => '×',
        "trade" => '™',
        "reg" => '®',
        "copy" => '©',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_is_absent() {
        assert_eq!(present(Some("  ")), None);
        assert_eq!(present(None), None);
        assert_eq!(present(Some(" 969 Market ")), Some("969 Market".into()));
        assert_eq!(full_name(Some("John"), Some("")), Some("John".into()));
        assert_eq!(full_name(Some(""), None), None);
    }

    #[test]
    fn wordpress_entities_are_decoded() {
        assert_eq!(
            decode_entities("Ship Your Idea &ndash; Color: Black"),
            "Ship Your Idea – Color: Black"
        );
        assert_eq!(
            decode_entities("Tom &amp; Jerry&#8217;s &#x41;"),
            "Tom & Jerry’s A"
        );
        assert_eq!(decode_entities("AT&T & co &bogus;"), "AT&T & co &bogus;");
    }
}
