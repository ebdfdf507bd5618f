//! Serving one page of a sorted list without sorting the whole list.

use std::cmp::Ordering;
use std::ops::Range;

/// The items of `items` that a full sort by `compare` would put at `range`, in that order. The
/// items outside the range are left in some order; a page costs linear time plus sorting the
/// page, instead of sorting every item for every page.
pub(crate) fn sorted_window<T>(
    items: &mut [T],
    range: Range<usize>,
    mut compare: impl FnMut(&T, &T) -> Ordering,
) -> &mut [T] {
    let Range { start, end } = range;
    if start >= end || end > items.len() {
        return &mut [];
    }
    if start > 0 {
        items.select_nth_unstable_by(start, &mut compare);
    }
    let rest = &mut items[start..];
    let len = end - start;
    if len < rest.len() {
        rest.select_nth_unstable_by(len, &mut compare);
    }
    let window = &mut rest[..len];
    window.sort_by(&mut compare);
    window
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_window_is_the_slice_a_full_sort_gives() {
        let items: Vec<u32> = (0..257u32).map(|i| (i * 7919) % 263).collect();
        let mut sorted = items.clone();
        sorted.sort();
        for (start, len) in [
            (0, 100),
            (100, 100),
            (200, 100),
            (250, 7),
            (256, 1),
            (0, 257),
            (5, 0),
        ] {
            let end = (start + len).min(items.len());
            let mut shuffled = items.clone();
            let window = sorted_window(&mut shuffled, start..end, u32::cmp);
            assert_eq!(window, &sorted[start..end], "{start}..{end}");
        }
        assert!(sorted_window(&mut items.clone(), 300..400, u32::cmp).is_empty());
    }
}
