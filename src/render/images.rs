//! Whether Typst can place an image: the same detection and decoding the
//! compiler does at layout, run beforehand so that `brief check` finds a
//! truncated or unsupported image at the finding that uses it, instead of
//! the build failing inside a template. Reads nothing: gets the bytes.

use typst::foundations::Bytes;
use typst::visualize::{ImageFormat, RasterImage, SvgImage, VectorFormat};

/// `Ok` if Typst can decode the image; otherwise why not.
pub fn check(data: &[u8]) -> Result<(), String> {
    let bytes = Bytes::new(data.to_vec());
    match ImageFormat::detect(data) {
        Some(ImageFormat::Raster(format)) => {
            RasterImage::plain(bytes, format).map(drop).map_err(|e| e.to_string())
        }
        Some(ImageFormat::Vector(VectorFormat::Svg)) => {
            SvgImage::new(bytes).map(drop).map_err(|e| format!("{e:?}"))
        }
        Some(ImageFormat::Vector(VectorFormat::Pdf)) => Ok(()),
        None => Err("is not an image brief can print (PNG, JPEG, GIF, WebP, SVG or PDF)".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1×1 PNG.
    const PNG: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
        0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8,
        0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];

    #[test]
    fn decodes_good_images_and_refuses_broken_ones() {
        assert_eq!(check(PNG), Ok(()));
        assert!(check(&PNG[..40]).is_err(), "a truncated PNG");
        assert!(check(b"BM\x36\x00\x00\x00").is_err(), "BMP is not supported");
        assert!(check(b"II*\x00").is_err(), "TIFF is not supported");
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>"#;
        assert_eq!(check(svg), Ok(()));
        assert!(check(br#"<svg xmlns="http://www.w3.org/2000/svg"><rect"#).is_err());
    }
}
