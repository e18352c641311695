#!/usr/bin/env bash
# The edit loop, scripted: `brief watch` on a synthetic corpus, then EDITS
# saves of one finding's body, each waited for; prints the cold build and
# every rebuild with its phases (--timings). Asserts nothing.
#
#   bench/watch.sh                      # 1,000 findings, 5 edits
#   SIZE=100 EDITS=3 BRIEF=target/debug/brief bench/watch.sh
#   DATA=data ARGS="--theme afghanistan" bench/watch.sh   # the shipped book
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${SIZE:-1000}
EDITS=${EDITS:-5}
# shellcheck source=bench/lib.sh
source bench/lib.sh
work=$(mktemp -d)
trap 'kill "$pid" 2> /dev/null || true; rm -rf "$work"' EXIT
if [ -n "${DATA:-}" ]; then
  cp -r "$DATA" "$work/data"
  SIZE=$(find "$work/data/findings" -name '*.md' | wc -l)
else
  python3 bench/gen_corpus.py "$SIZE" "$work/data" > /dev/null
fi
# shellcheck disable=SC2086 # ARGS is a list of words
"$BRIEF" watch --data "$work/data" --date 2026-11-23 --timings ${ARGS:-} 2> "$work/log" > /dev/null &
pid=$!

builds() { grep -c 'watch: built in' "$work/log" || true; }
wait_for() { # n: waits until n builds are logged
  while [ "$(builds)" -lt "$1" ]; do
    kill -0 "$pid" 2> /dev/null || { cat "$work/log" >&2; exit 1; }
    sleep 0.05
  done
}
wait_for 1
# A finding the book shows: the middle one of those carrying the book's
# theme, if one is asked for.
theme=$(sed -n 's/.*--theme \([^ ]*\).*/\1/p' <<< "${ARGS:-}")
finding=$(grep -rl "${theme:-^id:}" "$work/data/findings" --include='*.md' | sort | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }')
for ((i = 1; i <= EDITS; i++)); do
  sleep 0.3 # the watcher debounces; let it settle
  printf '\nAn added sentence, edit %d.\n' "$i" >> "$finding"
  wait_for $((i + 1))
done

echo "machine: $(nproc) cores; brief $("$BRIEF" --version | cut -d' ' -f2); $SIZE findings; one finding's body edited $EDITS times"
echo
echo "| build | ms | phases | what it redid |"
echo "|---|---:|---|---|"
paste -d'|' <(grep 'watch: built in' "$work/log" | sed 's/.*built in \([0-9]*\) ms.*/\1/') \
  <(grep 'brief: timings' "$work/log" | sed 's/.*timings: //') \
  <(grep 'brief: rebuilt' "$work/log" | sed 's/.*rebuilt: //') |
  awk -F'|' 'NR == 1 { printf "| cold | %s | %s | %s |\n", $1, $2, $3; next } { printf "| edit %d | %s | %s | %s |\n", NR - 1, $1, $2, $3 }'
