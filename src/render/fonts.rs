//! The fonts the book is set in: the files in fonts/, compiled into the
//! binary. No system font is ever consulted, so a PDF looks the same on
//! every machine.

use std::sync::{Arc, OnceLock};

use typst::foundations::Bytes;
use typst::text::{Font, FontInfo};
use typst_kit::fonts::{FontSource, FontStore};

/// Every shipped font file, by name. A test checks this against fonts/.
pub const FONT_FILES: &[(&str, &[u8])] = &[
    ("NotoNaskhArabic-Bold.ttf", include_bytes!("../../fonts/NotoNaskhArabic-Bold.ttf")),
    ("NotoNaskhArabic-Regular.ttf", include_bytes!("../../fonts/NotoNaskhArabic-Regular.ttf")),
    ("NotoSans-Bold.ttf", include_bytes!("../../fonts/NotoSans-Bold.ttf")),
    ("NotoSans-Italic.ttf", include_bytes!("../../fonts/NotoSans-Italic.ttf")),
    ("NotoSans-Regular.ttf", include_bytes!("../../fonts/NotoSans-Regular.ttf")),
    ("NotoSansMono-Regular.ttf", include_bytes!("../../fonts/NotoSansMono-Regular.ttf")),
    ("NotoSerif-Bold.ttf", include_bytes!("../../fonts/NotoSerif-Bold.ttf")),
    ("NotoSerif-BoldItalic.ttf", include_bytes!("../../fonts/NotoSerif-BoldItalic.ttf")),
    ("NotoSerif-Italic.ttf", include_bytes!("../../fonts/NotoSerif-Italic.ttf")),
    ("NotoSerif-Regular.ttf", include_bytes!("../../fonts/NotoSerif-Regular.ttf")),
];

/// A font face in an embedded file, parsed only when first used.
struct Embedded {
    data: &'static [u8],
    index: u32,
}

impl FontSource for Embedded {
    fn load(&self) -> Option<Font> {
        Font::new(Bytes::new(self.data), self.index)
    }
}

/// The font store shared by every compilation in the process.
///
/// Building it reads only each face's metadata; the faces themselves are
/// parsed lazily by the store when the layout first asks for them.
pub fn store() -> Arc<FontStore> {
    static STORE: OnceLock<Arc<FontStore>> = OnceLock::new();
    STORE
        .get_or_init(|| {
            let mut store = FontStore::new();
            for (_, data) in FONT_FILES {
                for (index, info) in FontInfo::iter(data).enumerate() {
                    store.push((Embedded { data, index: index as u32 }, info));
                }
            }
            Arc::new(store)
        })
        .clone()
}

/// A hash of the shipped fonts, computed once.
pub fn fingerprint() -> u128 {
    static FINGERPRINT: OnceLock<u128> = OnceLock::new();
    *FINGERPRINT.get_or_init(|| typst::utils::hash128(FONT_FILES))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_table_lists_every_file_in_fonts() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".ttf") || n.ends_with(".otf"))
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = FONT_FILES.iter().map(|(n, _)| *n).collect();
        assert_eq!(on_disk, listed);
    }

    #[test]
    fn the_store_has_the_families_the_templates_use() {
        let store = store();
        for family in ["noto serif", "noto sans", "noto sans mono", "noto naskh arabic"] {
            assert!(store.book().contains_family(family), "{family}");
        }
    }
}
