#!/usr/bin/env python3
"""The pipeline a user would assemble without brief: select the findings
of a theme (all, without one) into one Markdown file, as a script would,
then Pandoc to Typst, then the typst CLI to PDF.

    bench/pandoc_pipeline.py DATA OUT.pdf [--theme T] [--pandoc P] [--typst T]
"""
import argparse
import os
import subprocess
import tempfile

import yaml


def findings(data, theme):
    root = os.path.join(data, "findings")
    for folder, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            if not name.endswith(".md"):
                continue
            text = open(os.path.join(folder, name), encoding="utf-8").read()
            _, front, body = text.split("---", 2)
            meta = yaml.safe_load(front)
            if theme is None or theme in (meta.get("themes") or []):
                yield meta, body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("out")
    ap.add_argument("--theme")
    ap.add_argument("--pandoc", default="pandoc")
    ap.add_argument("--typst", default="typst")
    args = ap.parse_args()
    parts = ["---\ntitle: Briefing book\n---\n"]
    for meta, body in findings(args.data, args.theme):
        source = meta.get("source", "")
        ref = meta.get("ref") or ""
        parts.append(f"## {meta['title']}\n\n*{source}, {ref}, {meta.get('date', '')}*\n\n{body.strip()}\n")
    with tempfile.TemporaryDirectory() as tmp:
        md = os.path.join(tmp, "book.md")
        typ = os.path.join(tmp, "book.typ")
        open(md, "w", encoding="utf-8").write("\n".join(parts))
        subprocess.run([args.pandoc, md, "-f", "markdown", "-t", "typst", "-s", "--toc", "-o", typ], check=True)
        subprocess.run([args.typst, "compile", "--root", tmp, typ, args.out], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
