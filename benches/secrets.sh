#!/usr/bin/env bash
# Secret detection: recall, false positives, time and memory, hullscan next to Kingfisher
# (PyPI `kingfisher-bin`, offline, validation off), and what content scanning costs on top of
# a plain scan. In one run:
#
#   bash benches/secrets.sh [PACKAGES_DIR]
#
# Content: the Debian bookworm minbase rootfs (from `cargo test --test debian`) with synthetic,
# format-valid secrets and decoys planted by `examples/plant_secrets.rs` (nothing real is ever
# written). Kingfisher reads the directory; hullscan the same tree as a one-layer OCI image.
# PACKAGES_DIR (optional): a directory of installed packages (say, node_modules and
# site-packages) to add as a second image, for false positives and cost on text-heavy content.
# Needs hyperfine, GNU time, umoci, jq, kingfisher.
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/lib.sh
need hyperfine /usr/bin/time umoci jq kingfisher python3
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
kingfisher scan "$work/rootfs" --no-validate --format json -o "$work/kingfisher.json" >/dev/null 2>&1 || true

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
planted = json.load(open(f"{work}/planted.json"))
want = {s["path"] for s in planted["secrets"]}
decoys = set(planted["decoys"])
values = [v for v in open(f"{work}/values.txt").read().split("\n") if v]

def score(name, paths, raw):
    found = want & paths
    fp = paths - want
    leaked = sum(1 for v in values if v in raw)
    print(f"| {name} | {len(found)} / {len(want)} | {len(fp & decoys)} | {len(fp - decoys)} | {leaked} |")
    return fp

raw = open(f"{work}/hullscan.json").read()
h = json.loads(raw)
hp = {f["image_path"] for f in h["findings"] if f["rule"] == "FS006"}
raw_k = open(f"{work}/kingfisher.json").read()
kp = set()
for line in raw_k.splitlines():
    try:
        doc = json.loads(line)
    except ValueError:
        continue
    for f in doc.get("findings", []) if isinstance(doc.get("findings"), list) else []:
        path = (f.get("finding") or {}).get("path") or f.get("path") or ""
        if path.startswith(work + "/rootfs"):
            kp.add(path[len(work + "/rootfs"):])
print("| tool | planted files found | decoys reported | other files reported | planted values in output |")
print("| --- | ---: | ---: | ---: | ---: |")
hfp = score("hullscan image (FS006)", hp, raw)
kfp = score("kingfisher scan (dir, --no-validate)", kp, raw_k)
for name, fp in (("hullscan", hfp), ("kingfisher", kfp)):
    if fp:
        print(f"{name} also reported: {sorted(fp)[:12]}")
PY

echo
hyperfine --style basic -i --warmup 1 --runs 5 --export-markdown "$work/time.md" \
  -n "hullscan image --secrets off" "$bin image --no-config --no-cache -q -f json --fail-on never --secrets off oci:$work/img:1" \
  -n "hullscan image (secrets on)" "$bin image --no-config --no-cache -q -f json --fail-on never oci:$work/img:1" \
  -n "kingfisher scan DIR --no-validate" "kingfisher scan $work/rootfs --no-validate --format json -o /dev/null" >/dev/null
cat "$work/time.md"
rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1 || true; }
echo "peak RSS: hullscan $(( $(rss "$bin" image --no-config --no-cache -q -f json --fail-on never "oci:$work/img:1") / 1024 )) MiB," \
  "kingfisher $(( $(rss kingfisher scan "$work/rootfs" --no-validate --format json -o /dev/null) / 1024 )) MiB"

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
