#!/usr/bin/env bash
# Two commits of brief on the same corpora, in one run, alternating: the
# cold build (wall time and peak memory), the rebuild after an edit to one
# finding in `brief watch`, and the ratios B / A. Prints a Markdown table.
#
#   bench/compare.sh A B                    # commits, or paths to binaries
#   SIZES="1000 10000" RUNS=3 EDITS=5 bench/compare.sh f59adf7 HEAD
#
# A commit is built in release mode in a worktree of its own, with this
# checkout's target directory (so dependencies build once). Cold builds:
# the median of RUNS runs per binary, A and B taking turns. Rebuilds: one
# `brief watch` session per binary and per round (RUNS rounds, taking
# turns), each saving one finding's body EDITS times; the median of all
# edits. Needs python3 and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -eq 2 ] || { echo "usage: bench/compare.sh A B (commits or binaries)" >&2; exit 2; }
SIZES=${SIZES:-"1000"}
RUNS=${RUNS:-3}
EDITS=${EDITS:-5}
BRIEF=unused # bench/lib.sh builds nothing when BRIEF is set
# shellcheck source=bench/lib.sh
source bench/lib.sh
work=$(mktemp -d)
trees=()
cleanup() {
  for t in "${trees[@]}"; do git worktree remove --force "$t" 2> /dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# The binary of a commit (built) or a path (as is), copied to $work/NAME.
binary() { # spec name
  if [ -x "$1" ] && [ -f "$1" ]; then
    cp "$1" "$work/$2"
  else
    local tree=$work/src-$2
    git worktree add --quiet --detach "$tree" "$1"
    trees+=("$tree")
    CARGO_TARGET_DIR=$PWD/target cargo build --release --quiet --manifest-path "$tree/Cargo.toml"
    cp target/release/brief "$work/$2"
  fi
}
binary "$1" a
binary "$2" b
label_a=$(git rev-parse --short "$1" 2> /dev/null || basename "$1")
label_b=$(git rev-parse --short "$2" 2> /dev/null || basename "$2")

# One watch session: the cold build, then EDITS saves of one finding; the
# rebuild times (ms) are appended to $work/NAME.rebuild.
session() { # name data
  local log=$work/watch.log finding i
  : > "$log"
  "$work/$1" watch --data "$2" --out "$work/w.pdf" --date 2026-11-23 2> "$log" > /dev/null &
  local pid=$!
  built() { grep -c 'watch: built in' "$log" || true; }
  wait_built() {
    while [ "$(built)" -lt "$1" ]; do
      kill -0 "$pid" 2> /dev/null || { cat "$log" >&2; exit 1; }
      sleep 0.05
    done
  }
  wait_built 1
  finding=$(find "$2/findings" -name '*.md' | sort | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }')
  for ((i = 1; i <= EDITS; i++)); do
    sleep 0.3 # the watcher debounces; let it settle
    printf '\nAn added sentence, edit %d.\n' "$i" >> "$finding"
    wait_built $((i + 1))
  done
  kill "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
  grep 'watch: built in' "$log" | tail -n +2 | sed 's/.*built in \([0-9]*\) ms.*/\1/' >> "$work/$1.rebuild"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }

echo "machine: $(nproc) cores, $(uname -m); A = $label_a, B = $label_b; cold: median of $RUNS alternating runs; rebuild: median of $RUNS × $EDITS edits"
echo
echo "| findings | pages A | pages B | cold A s | cold B s | B / A | peak A MiB | peak B MiB | B / A | rebuild A ms | rebuild B ms | B / A | rebuild B / cold B |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do
  data=$work/c$n/data
  python3 bench/gen_corpus.py "$n" "$data" > /dev/null
  : > "$work/a.cold"
  : > "$work/b.cold"
  : > "$work/a.rebuild"
  : > "$work/b.rebuild"
  for ((i = 0; i < RUNS; i++)); do
    for x in a b; do
      /usr/bin/time -f '%e %M' -o "$work/t" "$work/$x" --data "$data" --out "$work/$x.pdf" --date 2026-11-23 --quiet \
        > /dev/null 2> "$work/err" || { cat "$work/err" >&2; exit 1; }
      cat "$work/t" >> "$work/$x.cold"
    done
  done
  for ((i = 0; i < RUNS; i++)); do
    for x in a b; do
      cp -r "$data" "$work/edit"
      session "$x" "$work/edit"
      rm -rf "$work/edit"
    done
  done
  pages() { python3 -c "import re,sys; print(len(re.findall(rb'/Type\s*/Page\b', open(sys.argv[1],'rb').read())))" "$1"; }
  ca=$(cut -d' ' -f1 "$work/a.cold" | median); cb=$(cut -d' ' -f1 "$work/b.cold" | median)
  ma=$(( $(cut -d' ' -f2 "$work/a.cold" | median) / 1024 )); mb=$(( $(cut -d' ' -f2 "$work/b.cold" | median) / 1024 ))
  ra=$(median < "$work/a.rebuild"); rb=$(median < "$work/b.rebuild")
  echo "| $n | $(pages "$work/a.pdf") | $(pages "$work/b.pdf") | $ca | $cb | $(ratio "$ca" "$cb") | $ma | $mb | $(ratio "$ma" "$mb") | $ra | $rb | $(ratio "$ra" "$rb") | $(awk -v r="$rb" -v c="$cb" 'BEGIN { printf "1/%.1f", c * 1000 / r }') |"
done
