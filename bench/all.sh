#!/usr/bin/env bash
# The standing books of the shipped brief.toml: `brief build --all` in one
# process against each book in a process of its own (`--shard K/N`, one
# book each), and the nightly rerun with nothing changed (`--if-changed`).
# Prints a Markdown table of median wall times and peak memory; asserts
# nothing.
#
#   bench/all.sh                    # 3 runs each (median)
#   RUNS=5 BRIEF=target/debug/brief bench/all.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
# shellcheck source=bench/lib.sh
source bench/lib.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r data brief.toml "$work/"
books=$(grep -c '^\[\[book\]\]' brief.toml)
all=(build --all --data "$work/data" --date 2026-11-23 --quiet)
separate() { # each book in a process of its own
  local k
  for ((k = 1; k <= books; k++)); do "$BRIEF" "${all[@]}" --shard "$k/$books"; done
}
read -r one_run one_mib < <(measure "$BRIEF" "${all[@]}")
read -r apart _ < <(measure bash -c "$(declare -p all BRIEF books); $(declare -f separate); separate")
"$BRIEF" "${all[@]}" > /dev/null
read -r again again_mib < <(measure "$BRIEF" "${all[@]}" --if-changed)
pages=$(for pdf in "$work"/out/*.pdf; do pdfinfo "$pdf" 2> /dev/null | awk '/^Pages:/ { print $2 }'; done | awk '{ s += $1 } END { print s }')
echo "machine: $(nproc) cores; brief $("$BRIEF" --version | cut -d' ' -f2); $books standing books, $pages pages in all; median of $RUNS runs"
echo
echo "| run | seconds | peak MiB | × one run |"
echo "|---|---:|---:|---:|"
echo "| build --all, one process | $one_run | $one_mib | 1.00 |"
echo "| each book in its own process | $apart | | $(awk "BEGIN { printf \"%.2f\", $apart / $one_run }") |"
echo "| build --all --if-changed, nothing changed | $again | $again_mib | $(awk "BEGIN { printf \"%.2f\", $again / $one_run }") |"
