#!/usr/bin/env python3
"""Turns a corpus from gen_corpus.py into an Obsidian vault of the same
notes: a `.obsidian/` folder beside it, and in each finding the syntax
vault notes are made of (wikilinks to other findings by id and by title,
a callout, a highlight, an inline footnote, a block id, tags, an Obsidian
comment), appended to the body. Deterministic.
    bench/gen_corpus.py 1000 /tmp/vault-1000/data
    bench/gen_vault.py /tmp/vault-1000/data
"""
import os
import random
import re
import sys
import zlib

data = sys.argv[1]
rng = random.Random(7)
os.makedirs(os.path.join(os.path.dirname(os.path.abspath(data)), ".obsidian"), exist_ok=True)
notes = []
for root, _, files in os.walk(os.path.join(data, "findings")):
    for name in sorted(files):
        if name.endswith(".md"):
            path = os.path.join(root, name)
            text = open(path, encoding="utf-8").read()
            fid = re.search(r"^id: (.+)$", text, re.M).group(1).strip()
            title = re.search(r"^title: (.+)$", text, re.M).group(1).strip().strip("'\"")
            notes.append((path, fid, title))
notes.sort()
for path, fid, title in notes:
    other = rng.choice(notes)
    third = rng.choice(notes)
    extra = (
        f"\n\nSee [[{other[1]}]] and [[{third[1]}|the related note]]. ==A highlighted phrase== "
        f"with a note.^[An inline footnote.] ^b{zlib.crc32(fid.encode()) % 100000}\n\n"
        f"> [!note] A callout\n> Its text, %% a comment %% and more.\n\n#status/draft\n"
    )
    with open(path, "a", encoding="utf-8") as f:
        f.write(extra)
print(f"{len(notes)} notes made a vault under {os.path.dirname(os.path.abspath(data))}")
