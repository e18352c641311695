#!/usr/bin/env bash
# brief against its peers, in the same run, alternating: the typst CLI
# compiling the very document brief composed (--emit-typ; given the input
# that makes it lay the book out as brief does, see render::emit_typ),
# and the Pandoc
# pipeline a user would assemble by hand (a script selecting the findings
# into Markdown, Pandoc to Typst, the typst CLI to PDF;
# bench/pandoc_pipeline.py). On the shipped corpus's Afghanistan book and
# on 100 and 1,000 generated findings. Prints a Markdown table of medians:
# seconds, peak MiB, pages, and each peer's time over brief's.
#
#   bench/peers.sh                          # RUNS=3 SIZES="100 1000"
#
# Needs python3 with PyYAML, GNU time, the typst CLI of the embedded
# version and Pandoc (PyPI's pypandoc-binary ships one):
#   cargo install typst-cli --version 0.15.1 --locked
#   pip install pypandoc-binary
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
SIZES=${SIZES:-"100 1000"}
TYPST=${TYPST:-$(command -v typst)}
PANDOC=${PANDOC:-$(command -v pandoc || python3 -c 'import pypandoc; print(pypandoc.get_pandoc_path())')}
# shellcheck source=bench/lib.sh
source bench/lib.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

timed() { # name, command...: appends "seconds KiB" to $work/name
  local name=$1
  shift
  /usr/bin/time -f '%e %M' -o "$work/t" "$@" > /dev/null 2> "$work/err" || { cat "$work/err" >&2; exit 1; }
  cat "$work/t" >> "$work/$name"
}
pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }
row() { # label, data dir, theme args...
  local label=$1 data=$2
  shift 2
  rm -f "$work/brief" "$work/typst" "$work/pandoc"
  "$BRIEF" --data "$data" "$@" --date 2026-11-23 --out "$work/b.pdf" --emit-typ "$work/emit" --quiet > /dev/null
  local theme=()
  [ $# -gt 0 ] && theme=(--theme "$2")
  local i
  for ((i = 0; i < RUNS; i++)); do
    timed brief "$BRIEF" --data "$data" "$@" --date 2026-11-23 --out "$work/b.pdf" --quiet
    timed typst "$TYPST" compile --root "$work/emit" --font-path "$work/emit/fonts" --ignore-system-fonts --input brief-goto=x-brief-goto: --input brief-page=x-brief-page: "$work/emit/templates/main.typ" "$work/t.pdf"
    timed pandoc python3 bench/pandoc_pipeline.py "$data" "$work/p.pdf" "${theme[@]}" --pandoc "$PANDOC" --typst "$TYPST"
  done
  local bs bm ts tm ps pm
  bs=$(cut -d' ' -f1 "$work/brief" | median); bm=$(( $(cut -d' ' -f2 "$work/brief" | median) / 1024 ))
  ts=$(cut -d' ' -f1 "$work/typst" | median); tm=$(( $(cut -d' ' -f2 "$work/typst" | median) / 1024 ))
  ps=$(cut -d' ' -f1 "$work/pandoc" | median); pm=$(( $(cut -d' ' -f2 "$work/pandoc" | median) / 1024 ))
  echo "| $label | $bs | $bm | $(pages "$work/b.pdf") | $ts | $tm | $(awk "BEGIN { printf \"%.2f\", $ts / $bs }") | $ps | $pm | $(pages "$work/p.pdf") | $(awk "BEGIN { printf \"%.2f\", $ps / $bs }") |"
}

echo "machine: $(nproc) cores; brief $("$BRIEF" --version | cut -d' ' -f2); $("$TYPST" --version); $("$PANDOC" --version | head -1); median of $RUNS alternating runs"
echo
echo "| corpus | brief s | brief MiB | pages | typst CLI s | MiB | ÷ brief | Pandoc + typst s | MiB | pages | ÷ brief |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
row "shipped, Afghanistan book" data --theme afghanistan
for n in $SIZES; do
  python3 bench/gen_corpus.py "$n" "$work/c$n/data" > /dev/null
  row "$n generated findings" "$work/c$n/data"
done
