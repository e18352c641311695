#!/usr/bin/env bash
# A Zotero export the size of a real library: for each N in SIZES
# (default "1000 12000"), writes a corpus whose sources are N items of a
# CSL-JSON export (`sources.json`) and, separately, N entries of a BibTeX
# export (`sources.bib`), with 50 findings citing some of them, and prints
# how long `brief check` takes on each (median of RUNS runs, default 3).
# Prints figures; asserts nothing.
#
#     BRIEF=target/debug/brief bench/zotero.sh          # SIZES="1000" RUNS=1 to vary
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SIZES=${SIZES:-"1000 12000"}
RUNS=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# gen FORMAT N DIR: a corpus in DIR whose sources are N items in FORMAT
# (json or bib).
gen() {
  python3 - "$@" <<'EOF'
import json, os, random, sys
fmt, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(n)
os.makedirs(f"{out}/findings/export", exist_ok=True)
open(f"{out}/themes.yaml", "w").write(
    "- id: alpha\n  title: Alpha\n  description: The one theme.\n")
families = ["Ahmed", "Khan", "Lee", "Smith", "Durrani", "Rahim", "Garcia", "Müller"]
def key(i):
    return f"{rng.choice(families).lower()}{i}z{2000 + i % 25}"
keys = [key(i) for i in range(n)]
if fmt == "json":
    items = [{
        "id": k, "type": rng.choice(["article-journal", "report", "book", "chapter"]),
        "title": f"Title number {i} on corridors and debt",
        "container-title": "Fixture Quarterly",
        "author": [{"family": rng.choice(families), "given": "Sara"}],
        "issued": {"date-parts": [[2000 + i % 25, 1 + i % 12]]},
        "URL": f"https://example.org/{i}", "abstract": "An abstract. " * 5,
    } for i, k in enumerate(keys)]
    json.dump(items, open(f"{out}/sources.json", "w"), indent=2)
else:
    with open(f"{out}/sources.bib", "w") as f:
        for i, k in enumerate(keys):
            f.write(f"@article{{{k},\n  title = {{Title number {i} on {{Corridors}}}},\n"
                    f"  author = {{{rng.choice(families)}, Sara}},\n"
                    f"  journaltitle = {{Fixture Quarterly}},\n  date = {{{2000 + i % 25}}},\n"
                    f"  url = {{https://example.org/{i}}},\n}}\n\n")
for j in range(50):
    cited = rng.sample(keys, 3)
    open(f"{out}/findings/export/{j:03d}.md", "w").write(
        f"---\nid: f{j}\ntitle: Finding {j}\ndate: 2012\nthemes: [alpha]\n"
        f"source: {cited[0]}\nref: p. 1\n---\n"
        f"As [@{cited[1]}, p. 2] and [see @{cited[2]}] say.\n")
EOF
}

echo "brief check on a Zotero export (median of $RUNS runs; $BRIEF)"
echo
echo "| items | format | check s | MiB |"
echo "|---:|---|---:|---:|"
for n in $SIZES; do
  for fmt in json bib; do
    rm -rf "$work/data"
    gen "$fmt" "$n" "$work/data"
    "$BRIEF" check --data "$work/data" > /dev/null 2>&1 || {
      "$BRIEF" check --data "$work/data" 2>&1 | tail -5 >&2
      exit 1
    }
    read -r s mib < <(measure "$BRIEF" check --data "$work/data")
    echo "| $n | $fmt | $s | $mib |"
  done
done
