//! Reading a file brief did not write: a corpus file, a font, a logo, a
//! style, a recipients list, a PDF to compare with. Every such read goes
//! through here, so that none can hang or exhaust memory: the path must
//! be a regular file (a named pipe would block the read for ever, a
//! device such as `/dev/zero` would never end), checked before it is
//! opened, and no more than a limit is read, whatever the file claims.

use std::io::{self, Read};
use std::path::Path;

/// The most brief reads of one file, by what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A text file of the corpus, a template, brief.toml, a recipients
    /// list, an edition record.
    Text,
    /// An image or a logo.
    Image,
    /// A font file (a whole collection such as Noto CJK's is large).
    Font,
    /// A PDF brief made, read back for its edition record.
    Pdf,
}

impl Kind {
    /// The limit, in bytes.
    pub const fn limit(self) -> u64 {
        const MIB: u64 = 1 << 20;
        match self {
            Kind::Text => 64 * MIB,
            Kind::Image => 64 * MIB,
            Kind::Font => 256 * MIB,
            Kind::Pdf => 1024 * MIB,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::Text => "text file",
            Kind::Image => "image",
            Kind::Font => "font file",
            Kind::Pdf => "PDF",
        }
    }
}

/// The bytes of the regular file at `path`, if it holds no more than
/// `kind`'s limit.
pub fn read(path: &Path, kind: Kind) -> io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        let what = if meta.is_dir() { "a folder" } else { "not a regular file (a pipe or device)" };
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("is {what}: brief reads only regular files here"),
        ));
    }
    let limit = kind.limit();
    let too_large = || {
        let mib = limit >> 20;
        let message =
            format!("is larger than {mib} MiB, the most brief reads of a {}", kind.noun());
        io::Error::new(io::ErrorKind::InvalidData, message)
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)?.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        // It grew while being read.
        return Err(too_large());
    }
    Ok(bytes)
}

/// [`read`], as UTF-8 text.
pub fn read_to_string(path: &Path, kind: Kind) -> io::Result<String> {
    String::from_utf8(read(path, kind)?)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "is not UTF-8 text"))
}

/// At most `limit` bytes of what `reader` yields, or an error if it
/// yields more (a decompression bomb).
pub fn bounded(reader: impl Read, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        let message = format!("expands to more than {} MiB", limit >> 20);
        return Err(io::Error::new(io::ErrorKind::InvalidData, message));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pipe_a_device_and_a_folder_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("font.ttf");
        let made = std::process::Command::new("mkfifo").arg(&pipe).status();
        if made.is_ok_and(|s| s.success()) {
            let error = read(&pipe, Kind::Font).unwrap_err();
            assert!(error.to_string().contains("not a regular file"), "{error}");
        }
        let error = read(Path::new("/dev/zero"), Kind::Text).unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
        let error = read(dir.path(), Kind::Text).unwrap_err();
        assert!(error.to_string().contains("is a folder"), "{error}");
    }

    #[test]
    fn no_more_than_the_limit_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("big.txt");
        std::fs::File::create(&file).unwrap().set_len(Kind::Text.limit() + 1).unwrap();
        let error = read(&file, Kind::Text).unwrap_err();
        assert!(error.to_string().contains("larger than 64 MiB"), "{error}");
        std::fs::write(&file, "fine").unwrap();
        assert_eq!(read_to_string(&file, Kind::Text).unwrap(), "fine");
        let bomb = std::io::repeat(0).take(10 << 20);
        assert!(bounded(bomb, 1 << 20).unwrap_err().to_string().contains("more than 1 MiB"));
        assert_eq!(bounded(&b"abc"[..], 3).unwrap(), b"abc");
    }
}
