#!/usr/bin/env python3
"""Writes a synthetic corpus of N findings in the real data/ format.

Deterministic: the same N and seed give the same files. Bodies look like
real findings: paragraphs with emphasis and links, a list now and then, a
table now and then, a quoted phrase, a footnote; events, issues, sources
and participants scale with N.

    bench/gen_corpus.py 1000 /tmp/corpus-1000/data [--seed 7]
"""
import argparse
import os
import random
import shutil

THEMES = ["afghanistan", "terrorism", "drones", "india", "china", "nuclear", "perceptions", "economy", "relationship"]
WORDS = ("relationship mistrust corridor withdrawal sovereignty dialogue strategic regional assistance security "
         "negotiation roadmap partnership militancy sanctuary border cooperation perception narrative investment "
         "trade energy infrastructure diplomacy pressure leverage balance engagement confidence measure").split()


def sentence(rng, n=None):
    words = [rng.choice(WORDS) for _ in range(n or rng.randint(8, 22))]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def paragraph(rng):
    parts = [sentence(rng) for _ in range(rng.randint(2, 5))]
    i = rng.randrange(len(parts))
    parts[i] = parts[i][:-1] + f', as one participant put it, "{rng.choice(WORDS)} {rng.choice(WORDS)}".'
    if rng.random() < 0.5:
        parts.insert(1, f"*{rng.choice(WORDS)}* and **{rng.choice(WORDS)}** matter")
    if rng.random() < 0.3:
        parts.append(f"See [the source](https://example.org/{rng.choice(WORDS)}?id={rng.randint(1, 999)}).")
    return " ".join(parts)


def body(rng):
    blocks = [paragraph(rng) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.25:
        blocks.append("\n".join(f"- {sentence(rng, 6)}" for _ in range(rng.randint(2, 4))))
    if rng.random() < 0.08:
        rows = "\n".join(f"| {rng.choice(WORDS)} | {rng.randint(1, 99)}% |" for _ in range(3))
        blocks.append(f"| Item | Share |\n|:--|--:|\n{rows}")
    if rng.random() < 0.1:
        blocks[0] += "[^1]"
        blocks.append(f"[^1]: {sentence(rng, 8)}")
    return "\n\n".join(blocks) + "\n"


def date(rng):
    year = rng.randint(2001, 2024)
    r = rng.random()
    if r < 0.2:
        return str(year)
    if r < 0.5:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("findings", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    n = args.findings
    out = args.out
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "findings"))

    with open(os.path.join(out, "themes.yaml"), "w") as f:
        for t in THEMES:
            f.write(f"- id: {t}\n  title: {t.capitalize()}\n  description: Synthetic theme {t}.\n")
    with open(os.path.join(out, "parties.yaml"), "w") as f:
        f.write("- id: pakistan\n  title: Pakistan\n- id: us\n  title: United States\n")
    sources = max(3, n // 50)
    with open(os.path.join(out, "sources.yaml"), "w") as f:
        for s in range(sources):
            f.write(f"- id: src-{s}\n  short: Synthetic source {s}\n  kind: report\n  date: {date(rng)}\n"
                    f"  abstract: {sentence(rng)}\n")
    with open(os.path.join(out, "participants.yaml"), "w") as f:
        for p in range(max(10, n // 10)):
            f.write(f"- id: person-{p}\n  source: src-{p % sources}\n  role: participant\n  honorific: Dr.\n"
                    f"  name: Person {rng.choice(WORDS).capitalize()} {p}\n  affiliation: Institute {p % 17}\n")
    issues = max(3, min(40, n // 25))
    with open(os.path.join(out, "issues.yaml"), "w") as f:
        for i in range(issues):
            f.write(f"- id: issue-{i}\n  title: Issue {i}\n  themes: [{rng.choice(THEMES)}]\n  positions:\n"
                    f"    pakistan: {sentence(rng)}\n    us: {sentence(rng)}\n"
                    f"  assessment: {rng.choice(['converging', 'diverging', 'mixed'])}\n")
    with open(os.path.join(out, "events.yaml"), "w") as f:
        for e in range(max(5, n // 20)):
            f.write(f"- id: event-{e}\n  date: {date(rng)}\n  title: {sentence(rng, 6)[:-1]}\n"
                    f"  summary: {sentence(rng)}\n  themes: [{rng.choice(THEMES)}]\n  source: src-{e % sources}\n")
    for i in range(n):
        src = i % sources
        folder = os.path.join(out, "findings", f"src-{src}")
        os.makedirs(folder, exist_ok=True)
        themes = rng.sample(THEMES, rng.randint(1, 3))
        extra = ""
        if rng.random() < 0.6:
            extra += f"perspective: {rng.choice(['pakistan', 'us', 'shared'])}\n"
        if rng.random() < 0.4:
            extra += f"issue: issue-{rng.randrange(issues)}\n"
        with open(os.path.join(folder, f"{i:06d}.md"), "w") as f:
            f.write(f"---\nid: f-{i:06d}\ntitle: {sentence(rng, 6)[:-1]}\ndate: {date(rng)}\n"
                    f"themes: [{', '.join(themes)}]\nsource: src-{src}\nref: para. {i % 40 + 1}\n{extra}---\n")
            f.write(body(rng))


if __name__ == "__main__":
    main()
