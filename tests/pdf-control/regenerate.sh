#!/usr/bin/env bash
# Makes the committed positive control of the tests' PDF readers
# (tests/integration/pdf_control.rs): a small book brief made, and what
# poppler and qpdf read in it. Run it only to change the control; the
# tests need none of these tools.
#
#   tests/pdf-control/regenerate.sh [path/to/brief]   # needs poppler-utils, qpdf, python3
#
# The book: the basic fixture's alpha theme as an accessible standing book
# (so it has a structure tree, alt text, an attachment and an outline),
# with Georgian in a font added with font-path: CID fonts with ToUnicode
# maps, Urdu and Arabic, hostile text, a table, a footnote.
set -euo pipefail
cd "$(dirname "$0")/../.."
BRIEF=$(realpath "${1:-target/debug/brief}")
out=tests/pdf-control
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R tests/fixtures/basic/. "$work"
cp -R tests/fixtures/fonts "$work/fonts"
# A title in Georgian is a UTF-16 string in the outline: "Zugdidi" is there
# and nowhere else but in the page content's glyphs.
sed -i 's/^title: An undated finding$/title: An undated finding from Zugdidi, ზუგდიდი/' "$work/data/findings/paper/01-undated.md"
printf '\nTbilisi: თბილისი.\n' >> "$work/data/findings/paper/01-undated.md"
printf '[defaults]\nfont-path = "fonts"\n\n[[book]]\nname = "control"\nthemes = ["alpha"]\npdf-standard = "ua-1"\n' > "$work/brief.toml"
(cd "$work" && "$BRIEF" build --all --date 2026-11-23 --quiet > /dev/null)
cp "$work/out/control.pdf" "$out/book.pdf"
pdftotext "$out/book.pdf" "$out/book.pdftotext.txt"
pdffonts "$out/book.pdf" > "$out/book.pdffonts.txt"
pdfdetach -list "$out/book.pdf" > "$out/book.pdfdetach.txt"
pdfdetach -savefile edition.json -o "$out/book.edition.json" "$out/book.pdf"
# What qpdf --qdf lays open, as the words (runs of ASCII letters and
# digits, 4 or more) of its objects and how often each occurs, with its hex strings decoded (qpdf
# writes UTF-16 text strings in hex) and its name escapes (#2f), and
# without what it adds: its comments, an `endobj` for every object (those
# in object streams had none), the lengths of the streams it uncompressed
# and its cross-reference table.
qpdf --qdf --object-streams=disable "$out/book.pdf" "$work/qdf.pdf" || [ $? -eq 3 ]
python3 - "$work/qdf.pdf" > "$out/book.qdf-words.txt" << 'PY'
import collections, re, sys
data = open(sys.argv[1], "rb").read()
data = data[: data.rindex(b"\nxref\n")]  # qpdf's own cross-reference table
data = re.sub(rb"0 obj\n\d+\nendobj", b"0 obj\nendobj", data)  # the lengths of the streams it uncompressed
data = b"\n".join(l for l in data.split(b"\n") if not l.startswith(b"%") and l != b"endobj")
unescape = lambda m: re.sub(rb"#([0-9a-fA-F]{2})", lambda e: bytes([int(e.group(1), 16)]), m.group(0))
data = re.sub(rb"/[^\x00\t\n\x0c\r /<>\[\](){}%]+", unescape, data)  # its escapes in names
def text(m):
    digits = re.sub(rb"\s", b"", m.group(1)).decode()
    raw = bytes.fromhex(digits + "0" * (len(digits) % 2))
    return raw[2:].decode("utf-16-be", "replace").encode() if raw.startswith(b"\xfe\xff") else raw
data = re.sub(rb"(?<!<)<([0-9a-fA-F\s]*)>", text, data)
counts = collections.Counter(w.decode() for w in re.findall(rb"[A-Za-z0-9]{4,}", data))
print("\n".join(f"{n} {w}" for w, n in sorted(counts.items())))
PY
wc -c "$out"/book.*
