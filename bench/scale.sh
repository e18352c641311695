#!/usr/bin/env bash
# `brief build --all` with many small standing books: for each count, the
# wall time, the time per book and the peak memory (GNU time), then how
# the peak at the largest count compares with the one at the smallest.
# Time should grow linearly with the number of books, and peak memory
# hardly at all: a run holds at most one book per thread.
#
# Each count gets a project of its own: a copy of data/ and a brief.toml
# of N [[book]] entries, each with its own output, cycling through one
# theme or two over a one- to three-year range, the paper size and the
# duplex setting, so that no two books are alike.
#
# Usage: [BRIEF=target/debug/brief] [RUNS=1] bench/scale.sh [COUNTS...]
# (default 50 200 1000).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
RUNS=${RUNS:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
themes=(afghanistan terrorism drones india china nuclear perceptions economy relationship)
counts=(${@:-50 200 1000})

# project N DIR: the corpus and a brief.toml of N standing books in DIR.
project() {
  local n=$1 p=$2 i t u y span paper duplex
  mkdir -p "$p"
  cp -r data "$p/"
  : > "$p/brief.toml"
  for ((i = 0; i < n; i++)); do
    t=${themes[$((i % ${#themes[@]}))]}
    u=${themes[$(((i + 1 + (i / ${#themes[@]}) % 8) % ${#themes[@]}))]}
    y=$((2008 + (i / ${#themes[@]}) % 12))
    span=$((1 + i % 3))
    paper=$([ $((i % 4)) -eq 3 ] && echo us-letter || echo a4)
    duplex=$([ $((i % 5)) -eq 4 ] && echo true || echo false)
    if [ $((i % 2)) -eq 0 ]; then t="\"$t\""; else t="\"$t\", \"$u\""; fi
    printf '[[book]]\nname = "book-%04d"\nthemes = [%s]\nfrom = "%d"\nto = "%d"\npaper = "%s"\nduplex = %s\n\n' \
      "$i" "$t" "$y" "$((y + span))" "$paper" "$duplex" >> "$p/brief.toml"
  done
}

echo "machine: $(nproc) cores; binary: $BRIEF; runs per count: $RUNS"
echo
echo "| books | seconds | ms per book | peak MiB |"
echo "|---:|---:|---:|---:|"
declare -A peak
for n in "${counts[@]}"; do
  p=$work/p$n
  project "$n" "$p"
  read -r secs mib < <(cd "$p" && measure "$BRIEF" build --all --quiet --date 2026-11-23)
  written=$(find "$p/out" -name 'book-*.pdf' | wc -l)
  [ "$written" -eq "$n" ] || { echo "only $written of $n books written" >&2; exit 1; }
  peak[$n]=$mib
  echo "| $n | $secs | $(echo "$secs * 1000 / $n" | bc -l | xargs printf '%.0f') | $mib |"
  rm -rf "$p"
done
first=${counts[0]} last=${counts[-1]}
echo
echo "peak($last) / peak($first) = $(echo "${peak[$last]} / ${peak[$first]}" | bc -l | xargs printf '%.2f')"
