#!/usr/bin/env python3
"""Compare hullscan with hadolint on a Dockerfile corpus, for the rules they share.

For each file, runs `hadolint -f json` and `hullscan dockerfile -f json --no-config`, maps hadolint
codes to hullscan rules through the `peers.hadolint` lists in rules/*.toml, and prints a Markdown
table of every (file, line, rule) that one tool reports and the other does not.

usage: scripts/compare-hadolint.py [--hullscan BIN] [--hadolint BIN] [CORPUS_DIR]
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tomllib

MAPPED = ["DL3002", "DL3004", "DL3006", "DL3007", "DL3020"]


def peer_map(repo: pathlib.Path) -> dict:
    out = {}
    for f in sorted((repo / "rules").glob("*.toml")):
        meta = tomllib.loads(f.read_text())
        for code in meta.get("peers", {}).get("hadolint", []):
            if code in MAPPED:
                out.setdefault(code, []).append(meta["id"])
    return out


def main() -> int:
    repo = pathlib.Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(repo / "testdata/dockerfiles"))
    ap.add_argument("--hullscan", default=str(repo / "target/release/hullscan"))
    ap.add_argument("--hadolint", default="hadolint")
    args = ap.parse_args()
    peers = peer_map(repo)
    ours = {r for ids in peers.values() for r in ids}
    files = sorted(pathlib.Path(args.corpus).rglob("*.Dockerfile"))
    rows = []
    for f in files:
        rel = f.relative_to(args.corpus)
        h = subprocess.run([args.hadolint, "-f", "json", "--no-fail", str(f)], capture_output=True, text=True)
        try:
            hado = json.loads(h.stdout or "[]")
        except json.JSONDecodeError:
            rows.append((str(rel), "-", "-", "hadolint failed to parse", h.stderr.strip().splitlines()[-1:]))
            continue
        # A hadolint finding matches when any hullscan rule it maps to fires on the same line.
        theirs = {(d["line"], d["code"]) for d in hado if d["code"] in peers}
        s = subprocess.run([args.hullscan, "dockerfile", "--no-config", "-f", "json", "--fail-on", "never", str(f)],
                           capture_output=True, text=True)
        mine = {(x["start_line"], x["rule"]) for x in json.loads(s.stdout)["findings"] if x["rule"] in ours}
        for line, code in sorted(theirs):
            if not any((line, r) in mine for r in peers[code]):
                rows.append((str(rel), line, f"{code} ({'/'.join(peers[code])})", "hadolint only", ""))
        for line, rule in sorted(mine):
            if not any(l == line and rule in peers[c] for l, c in theirs):
                codes = [c for c, rs in peers.items() if rule in rs]
                rows.append((str(rel), line, f"{rule} ({'/'.join(codes)})", "hullscan only", ""))
    print(f"Compared {len(files)} files; mapped hadolint rules: {', '.join(MAPPED)}\n")
    print("| file | line | rule | reported by |\n| --- | --- | --- | --- |")
    for file, line, rule, who, extra in rows:
        print(f"| {file} | {line} | {rule} | {who}{(' ' + str(extra)) if extra else ''} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
