#!/usr/bin/env bash
# Findings per rule on a directory of real Dockerfiles: the regression check for precision
# work on public corpora (which stay out of this repository). Compare two builds with
# HULLSCAN_BIN, and read the findings themselves with `--show RULE`.
#
#   bash scripts/corpus-stats.sh DIR                 # counts per rule, files linted, errors
#   bash scripts/corpus-stats.sh DIR --show DF013    # each DF013 finding with its instruction
set -euo pipefail
dir=${1:?usage: corpus-stats.sh DIR [--show RULE]}
bin=${HULLSCAN_BIN:-}
if [ -z "$bin" ]; then
  cargo build --release --locked -q --manifest-path "$(dirname "$0")/../Cargo.toml"
  bin="$(dirname "$0")/../target/release/hullscan"
fi
out=$(mktemp); trap 'rm -f "$out"' EXIT
"$bin" dockerfile --no-config -f json --fail-on never "$dir" > "$out" 2>/dev/null || true
python3 - "$out" "${2:-}" "${3:-}" <<'PY'
import collections, json, sys
report = json.load(open(sys.argv[1]))
if sys.argv[2] == "--show":
    for f in report["findings"]:
        if f["rule"] != sys.argv[3]:
            continue
        lines = open(f["path"], errors="replace").read().split("\n")
        text = " | ".join(l.strip() for l in lines[f["start_line"] - 1 : f["end_line"]])
        print(f"{f['path']}:{f['start_line']}: {f['message']}\n    {text[:400]}")
    sys.exit(0)
counts = collections.Counter(f["rule"] for f in report["findings"])
print(f"files {len(report['files'])}, not linted {len(report['errors'])}")
for rule, n in sorted(counts.items()):
    print(f"{rule} {n}")
PY
