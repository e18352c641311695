# What the bench scripts share; each sources it from the project root.
# `measure` needs RUNS and $work set when it is called.

# The binary measured: $BRIEF if given, else the release build, built now.
if [ -z "${BRIEF:-}" ]; then
  cargo build --release --quiet
  BRIEF=$PWD/target/release/brief
fi

# The median of the numbers on stdin, one a line.
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Runs a command RUNS times; prints "median-seconds median-peak-MiB"
# (GNU time's wall clock and maximum resident set size).
measure() {
  local i
  : > "$work/times"
  for ((i = 0; i < RUNS; i++)); do
    /usr/bin/time -f '%e %M' -o "$work/t" "$@" > /dev/null 2> "$work/err" || { cat "$work/err" >&2; exit 1; }
    cat "$work/t" >> "$work/times"
  done
  echo "$(cut -d' ' -f1 "$work/times" | median) $(( $(cut -d' ' -f2 "$work/times" | median) / 1024 ))"
}
