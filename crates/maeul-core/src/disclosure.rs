//! Aggregates shown beyond the staff who may see persons: small counts could point at a
//! household in a small place, so counts under [`SMALL_COUNT`] are withheld.

/// Counts below this are suppressed.
pub const SMALL_COUNT: i64 = 5;

/// The count, or `None` when it is too small to show.
pub fn suppress_small(count: i64) -> Option<i64> {
    (count >= SMALL_COUNT).then_some(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_under_five_are_withheld() {
        assert_eq!(suppress_small(0), None);
        assert_eq!(suppress_small(4), None);
        assert_eq!(suppress_small(5), Some(5));
        assert_eq!(suppress_small(1234), Some(1234));
    }
}
