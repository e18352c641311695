#!/usr/bin/env bash
# Checks that a refactoring changed no PDF: builds REV (default HEAD) in a
# scratch worktree sharing this checkout's target directory, makes the
# shipped standing books, a few variants, the meeting's numbered copies
# and their register, and every standing book's edition 2 (after an edit)
# with its edition records, with it and with the working tree, and
# compares the bytes of every file. Usage: bench/same-pdfs.sh [REV]
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:-HEAD}
root=$PWD
scratch=$(mktemp -d)
trap 'git worktree remove --force "$scratch/base" > /dev/null 2>&1; rm -rf "$scratch"' EXIT
git worktree add -q --detach "$scratch/base" "$rev"
(cd "$scratch/base" && CARGO_TARGET_DIR="$root/target" cargo build -q --locked && cp "$root/target/debug/brief" "$scratch/brief-base")
cargo build -q --locked && cp target/debug/brief "$scratch/brief-new"

make() { # make BRIEF DIR: the books into DIR
  local b=$1 o=$2 d=(--date 2026-11-23 --quiet)
  mkdir -p "$o/all"
  local p=$scratch/project-$(basename "$o")
  rm -rf "$p"; mkdir -p "$p"; cp -r data brief.toml "$p/"
  (cd "$p" && "$b" build --all "${d[@]}" > /dev/null && cp out/*.pdf out/*.edition.json "$o/all/")
  # Edition 2 of every standing book: one finding revised, a day later.
  mkdir -p "$o/edition-2"
  sed -i 's/^title: /title: Revised /' "$p/data/findings/pugwash-2012/$(ls "$p/data/findings/pugwash-2012" | head -1)"
  (cd "$p" && "$b" build --all --date 2026-11-24 --quiet > /dev/null && cp out/*.pdf out/*.edition.json "$o/edition-2/")
  # Numbered copies of the meeting's book, and their register.
  "$b" --meeting pugwash-followup-example --copies-for attendees "${d[@]}" --out "$o/copies/meeting.pdf" > /dev/null
  "$b" --theme afghanistan "${d[@]}" --out "$o/ua.pdf" --pdf-standard ua-1 > /dev/null
  "$b" --theme afghanistan "${d[@]}" --out "$o/a2b.pdf" --pdf-standard a-2b > /dev/null
  "$b" --theme drones "${d[@]}" --out "$o/duplex.pdf" --duplex --watermark DRAFT --paper us-letter > /dev/null
  "$b" --data tests/fixtures/basic/data "${d[@]}" --out "$o/basic.pdf" > /dev/null
  "$b" --data tests/fixtures/basic/data -t alpha --from 2011 "${d[@]}" --out "$o/basic-alpha.pdf" > /dev/null
}
make "$scratch/brief-base" "$scratch/base-pdfs"
make "$scratch/brief-new" "$scratch/new-pdfs"
status=0
listing() { (cd "$1" && find . -type f | sort); }
if ! diff <(listing "$scratch/base-pdfs") <(listing "$scratch/new-pdfs"); then echo "DIFFERENT file lists"; status=1; fi
for f in $(cd "$scratch/base-pdfs" && find . -type f | sort); do
  if cmp -s "$scratch/base-pdfs/$f" "$scratch/new-pdfs/$f"; then echo "same      $f"; else echo "DIFFERENT $f"; status=1; fi
done
exit $status
