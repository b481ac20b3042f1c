#!/usr/bin/env bash
# Scanning an image where it was built: the Debian minbase image held by a real dockerd (vfs
# storage, on a temp socket), `hullscan image docker-daemon:…` next to the engine's own export
# (`docker save IMAGE > /dev/null`, the floor: hullscan reads that same stream), and a
# cache-first re-scan of the unchanged image (one API call, no export).
#
#   bash benches/engine.sh
#
# Needs hyperfine, dockerd and the docker CLI (Debian's docker.io), and the cached Debian
# image (`cargo test --test debian`).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in hyperfine dockerd docker; do
  command -v "$tool" >/dev/null || { echo "missing $tool"; exit 2; }
done
if [ -n "${HULLSCAN_BIN:-}" ]; then bin=$HULLSCAN_BIN; else
  cargo build --release --locked -q; bin=$PWD/target/release/hullscan; fi
deb=$PWD/target/test-cache/debian
[ -f "$deb/ready" ] || cargo test -q --test debian >/dev/null
work=$(mktemp -d)
dockerd --host "unix://$work/d.sock" --data-root "$work/root" --exec-root "$work/exec" \
  --pidfile "$work/d.pid" --storage-driver vfs --iptables=false --ip6tables=false --bridge=none \
  >"$work/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
export DOCKER_HOST="unix://$work/d.sock"
for _ in $(seq 100); do docker version >/dev/null 2>&1 && break; sleep 0.1; done
docker load -q -i "$deb/debian.tar" >/dev/null
img=localhost/debian:bookworm
echo "hullscan $("$bin" --version | cut -d' ' -f2), $(nproc) cores, dockerd $(dockerd --version | cut -d' ' -f3 | tr -d ,), image $img"
hyperfine --style none --warmup 1 --runs 8 --export-json "$work/h.json" \
  -n "docker save > /dev/null" "docker save $img > /dev/null" \
  -n "hullscan image docker-daemon: (cold, no cache)" "$bin image --no-config -q -f json --fail-on never --no-cache docker-daemon:$img > /dev/null" \
  >/dev/null
"$bin" image --no-config -q -f json --fail-on never --cache "$work/cache" "docker-daemon:$img" >/dev/null
hyperfine --style none --warmup 2 --runs 20 --export-json "$work/w.json" \
  -n "hullscan image docker-daemon: (cache-first re-scan)" "$bin image --no-config -q -f json --fail-on never --cache $work/cache docker-daemon:$img > /dev/null" \
  >/dev/null
rss=$(/usr/bin/time -f '%M' "$bin" image --no-config -q -f json --fail-on never --no-cache "docker-daemon:$img" 2>&1 >/dev/null | tail -1)
echo
echo "| command | mean | ± |"
echo "| --- | ---: | ---: |"
jq -r '.results[] | "| `\(.command)` | \(.mean * 1000 | floor) ms | \(.stddev * 1000 | floor) ms |"' "$work/h.json" "$work/w.json"
echo
save=$(jq '.results[0].mean' "$work/h.json"); cold=$(jq '.results[1].mean' "$work/h.json"); warm=$(jq '.results[0].mean' "$work/w.json")
awk "BEGIN {
  printf \"cold scan / docker save: %.2fx (target 1.1x): %s\n\", $cold / $save, ($cold / $save <= 1.1 ? \"met\" : \"missed\");
  printf \"cache-first re-scan: %.0f ms (target 50 ms): %s\n\", $warm * 1000, ($warm <= 0.05 ? \"met\" : \"missed\");
  printf \"peak RSS of the cold scan: %d MiB\n\", $rss / 1024;
}"
