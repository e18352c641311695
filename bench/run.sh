#!/usr/bin/env bash
# Whole-process benchmark: brief on synthetic corpora of 100, 1,000 and
# 10,000 findings, against the typst CLI compiling the very document brief
# composes (written with --emit-typ). Prints a Markdown table.
#
#   bench/run.sh                      # sizes 100 1000 10000, 3 runs each (median)
#   SIZES="100 1000" RUNS=5 bench/run.sh
#
# Needs python3, GNU time (/usr/bin/time) and, for the baseline, the typst
# CLI of the same version as the embedded compiler:
#   cargo install typst-cli --version 0.15.1 --locked
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"100 1000 10000"}
RUNS=${RUNS:-3}
TYPST=${TYPST:-$(command -v typst || true)}
# shellcheck source=bench/lib.sh
source bench/lib.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "machine: $(nproc) cores, $(uname -m); brief $("$BRIEF" --version | cut -d' ' -f2); typst CLI: ${TYPST:+$("$TYPST" --version)}"
echo
echo "| findings | pages | load ms | select ms | compose ms | compile ms | export ms | brief s | brief MiB | typst CLI s | typst MiB | brief / typst |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do
  data="$work/$n/data"
  python3 bench/gen_corpus.py "$n" "$data"
  args=(--data "$data" --out "$work/$n/book.pdf" --date 2026-11-23)
  # Phase timings and the page count, from one run.
  "$BRIEF" "${args[@]}" --timings --emit-typ "$work/$n/typ" 2> "$work/$n/log" > /dev/null
  pages=$(grep -o '([0-9]* pages' "$work/$n/log" | tr -dc 0-9)
  phase() { grep -o "$1 [0-9.]* ms" "$work/$n/log" | cut -d' ' -f2; }
  read -r brief_s brief_mib < <(measure "$BRIEF" "${args[@]}")
  if [ -n "$TYPST" ]; then
    read -r typst_s typst_mib < <(measure "$TYPST" compile --root "$work/$n/typ" --font-path "$work/$n/typ/fonts" \
      --ignore-system-fonts --input brief-goto=x-brief-goto: --input brief-page=x-brief-page: "$work/$n/typ/templates/main.typ" "$work/$n/typst.pdf")
    ratio=$(awk -v a="$brief_s" -v b="$typst_s" 'BEGIN { printf "%.2f", a / b }')
  else
    typst_s="–"; typst_mib="–"; ratio="–"
  fi
  echo "| $n | $pages | $(phase load) | $(phase select) | $(phase compose) | $(phase compile) | $(phase export) | $brief_s | $brief_mib | $typst_s | $typst_mib | $ratio |"
done
