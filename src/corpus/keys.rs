//! The source keys the citations in findings are checked against. No I/O
//! here.

use std::collections::BTreeSet;

/// Every source id a citation may name: the keys of the bibliography
/// files and the ids of `sources.yaml`, also of entries that did not parse
/// (those are reported once, where they are).
pub(crate) struct SourceKeys {
    /// The keys.
    keys: BTreeSet<String>,
    /// Whether a file of sources could not be read whole (already
    /// reported): then any key may be meant, and none is checked.
    unchecked: bool,
    /// A hash of both, for [`SourceKeys::hash`].
    hash: u128,
}

impl SourceKeys {
    /// The keys, and whether they cannot be checked.
    pub(crate) fn new(keys: BTreeSet<String>, unchecked: bool) -> Self {
        let hash = typst::utils::hash128(&(&keys, unchecked));
        SourceKeys { keys, unchecked, hash }
    }

    /// Whether a citation of `key` is to a known source (always, when
    /// the keys cannot be checked).
    pub(crate) fn contains(&self, key: &str) -> bool {
        self.unchecked || self.keys.contains(key)
    }

    /// The known keys, in order.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> + Clone {
        self.keys.iter().map(String::as_str)
    }

    /// The known key nearest to `key`, if one is near.
    pub(crate) fn nearest(&self, key: &str) -> Option<&str> {
        crate::suggest::nearest(key, self.names())
    }

    /// A hash of the keys and whether they are checked: a finding parsed
    /// against other keys must be parsed again.
    pub(crate) fn hash(&self) -> u128 {
        self.hash
    }
}
