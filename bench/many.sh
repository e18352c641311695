#!/usr/bin/env bash
# build --all with many small standing books: time and peak memory at each
# count, so that both can be seen to grow linearly (memory should stay
# flat: a run lets go of what only earlier books used). Each book is one
# theme of the shipped corpus over one year, cycling through themes and
# years. Usage: bench/many.sh [COUNTS...] (default 50 200 1000).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
RUNS=${RUNS:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
themes=(afghanistan terrorism drones india china nuclear perceptions economy relationship)
echo "books  seconds  peak-MiB  seconds-per-book"
for n in "${@:-50 200 1000}"; do
  for n1 in $n; do
    p=$work/p$n1
    mkdir -p "$p"
    cp -r data "$p/"
    : > "$p/brief.toml"
    for ((i = 0; i < n1; i++)); do
      t=${themes[$((i % ${#themes[@]}))]}
      y=$((2008 + (i / ${#themes[@]}) % 12))
      printf '[[book]]\nname = "b%d"\nthemes = ["%s"]\nfrom = "%d"\nto = "%d"\n\n' "$i" "$t" "$y" "$((y + 1))" >> "$p/brief.toml"
    done
    read -r secs mib < <(cd "$p" && measure "$BRIEF" build --all --quiet --date 2026-11-23)
    written=$(ls "$p"/out/*.pdf | wc -l)
    [ "$written" -eq "$n1" ] || { echo "only $written of $n1 books written" >&2; exit 1; }
    echo "$n1  $secs  $mib  $(echo "$secs / $n1" | bc -l | cut -c1-6)"
  done
done
