#!/usr/bin/env python3
"""Summarises a Typst timing trace (`brief --trace FILE`, or the typst
CLI's `--timings FILE`): where the time went, by scope and by template line.

    bench/trace.py trace.json [--top 25]

For each scope name (Typst's: "layout (1)", "realize", "page run", "par",
"pdf", a function call's name …) it prints how often it ran and its time:
inclusive (an inner scope of the same name is not counted twice) and self
(minus the scopes inside it). Then the template lines whose calls take the
most inclusive time. Times are in milliseconds, summed over threads, so a
scope run in parallel can add up to more than the wall time.
"""
import argparse
import collections
import json


def summarise(events):
    by_name = collections.defaultdict(lambda: [0, 0.0, 0.0])  # count, inclusive, self
    by_line = collections.defaultdict(lambda: [0, 0.0])  # count, inclusive
    stacks = collections.defaultdict(list)
    wall = [None, None]
    for e in events:
        ts = e["ts"]
        wall[0] = ts if wall[0] is None else min(wall[0], ts)
        wall[1] = ts if wall[1] is None else max(wall[1], ts)
        stack = stacks[e["tid"]]
        if e["ph"] == "B":
            args = e.get("args") or {}
            where = f'{args["file"]}:{args["line"]}' if args.get("file") else None
            stack.append([e["name"], where, ts, 0.0])
            continue
        name, where, start, inner = stack.pop()
        took = ts - start
        if stack:
            stack[-1][3] += took
        entry = by_name[name]
        entry[0] += 1
        entry[2] += took - inner
        if all(s[0] != name for s in stack):
            entry[1] += took
        if where and all(s[1] != where for s in stack):
            line = by_line[(name, where)]
            line[0] += 1
            line[1] += took
    return by_name, by_line, (wall[1] or 0) - (wall[0] or 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trace")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    with open(args.trace) as f:
        events = json.load(f)
    by_name, by_line, wall = summarise(events)
    print(f"trace: {len(events)} events over {wall / 1000:.0f} ms\n")
    print("| scope | runs | inclusive ms | self ms |")
    print("|---|---:|---:|---:|")
    ranked = sorted(by_name.items(), key=lambda kv: -kv[1][1])
    for name, (runs, inclusive, own) in ranked[: args.top]:
        print(f"| {name} | {runs} | {inclusive / 1000:.1f} | {own / 1000:.1f} |")
    print("\n| scope at template line | runs | inclusive ms |")
    print("|---|---:|---:|")
    ranked = sorted(by_line.items(), key=lambda kv: -kv[1][1])
    for (name, where), (runs, inclusive) in ranked[: args.top]:
        print(f"| {name} at {where} | {runs} | {inclusive / 1000:.1f} |")


if __name__ == "__main__":
    main()
