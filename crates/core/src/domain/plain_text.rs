//! Text a peer wrote (a supplier's carrier name, a shipping method) made safe to store and
//! show: it stays text (no markup is interpreted anywhere it goes), without the characters that
//! act on a terminal or reorder what is shown (control characters, ANSI escapes, bidi
//! overrides), and bounded in length.

/// `text` without control or bidi-override characters, whitespace runs as one space, trimmed,
/// at most `max_chars` characters (cut ones end with `…`).
pub fn plain_text(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars * 4));
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if c.is_control() || is_invisible_format(c) {
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    if out.chars().count() > max_chars {
        let mut cut: String = out.chars().take(max_chars.saturating_sub(1)).collect();
        cut.truncate(cut.trim_end().len());
        cut.push('…');
        return cut;
    }
    out
}

/// Bidi embeddings, overrides and isolates, and zero-width characters: invisible, and able to
/// make what is shown differ from what is stored.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_overrides_go_markup_stays_text() {
        assert_eq!(plain_text("  UPS \t Ground\n", 64), "UPS Ground");
        assert_eq!(
            plain_text("\u{1b}[2J\u{1b}[31mUPS\u{7}\u{0}", 64),
            "[2J[31mUPS"
        );
        assert_eq!(plain_text("UPS\u{202E}dnuorG", 64), "UPSdnuorG");
        assert_eq!(
            plain_text("<b>UPS</b><img src=x onerror=alert(1)>", 64),
            "<b>UPS</b><img src=x onerror=alert(1)>"
        );
    }

    #[test]
    fn length_is_bounded() {
        let long = "U".repeat(10_000);
        let cut = plain_text(&long, 64);
        assert_eq!(cut.chars().count(), 64);
        assert!(cut.ends_with('…'));
        assert_eq!(plain_text("é".repeat(100).as_str(), 10).chars().count(), 10);
    }
}
