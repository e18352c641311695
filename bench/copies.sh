#!/usr/bin/env bash
# Numbered copies against separate builds: twelve copies of the shipped
# meeting's book in one run (--copies-for) against twelve runs of brief
# building the book, and one run alone. Prints a Markdown table of median
# wall times and peak memory; asserts nothing.
#
#   bench/copies.sh                 # 12 copies, 3 runs each (median)
#   COPIES=24 RUNS=5 BRIEF=target/debug/brief bench/copies.sh
set -euo pipefail
cd "$(dirname "$0")/.."

COPIES=${COPIES:-12}
RUNS=${RUNS:-3}
# shellcheck source=bench/lib.sh
source bench/lib.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r data "$work/data"
for ((i = 1; i <= COPIES; i++)); do echo "Recipient $i"; done > "$work/names.txt"
book=(--data "$work/data" --meeting pugwash-followup-example --date 2026-11-23 --quiet)

separate() { # the book COPIES times, one process each
  local i
  for ((i = 1; i <= COPIES; i++)); do "$BRIEF" "${book[@]}" --out "$work/one-$i.pdf"; done
}
export -f separate
read -r one one_mib < <(measure "$BRIEF" "${book[@]}" --out "$work/one.pdf")
read -r copies copies_mib < <(measure "$BRIEF" "${book[@]}" --copies-for "$work/names.txt")
read -r apart _ < <(measure bash -c "$(declare -p book BRIEF COPIES work); $(declare -f separate); separate")
pages=$(pdfinfo "$work/one.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
echo "machine: $(nproc) cores; brief $("$BRIEF" --version | cut -d' ' -f2); the meeting's book, $pages pages; $COPIES copies; median of $RUNS runs"
echo
echo "| run | seconds | peak MiB | × one build |"
echo "|---|---:|---:|---:|"
echo "| one build | $one | $one_mib | 1.00 |"
echo "| $COPIES numbered copies, one run (--copies-for) | $copies | $copies_mib | $(awk "BEGIN { printf \"%.2f\", $copies / $one }") |"
echo "| $COPIES separate builds | $apart | | $(awk "BEGIN { printf \"%.2f\", $apart / $one }") |"
