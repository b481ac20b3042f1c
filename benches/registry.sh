#!/usr/bin/env bash
# Registry scan speed: hullscan pulling from a local registry, next to the physical limit
# (fetch each layer blob with curl and decompress it with `gzip -dc`) and to syft, in one run.
#
#   bash benches/registry.sh [RANDOM_MB]
#
# Starts docker-registry on a free 127.0.0.1 port, pushes the Debian minbase image (cached by
# `cargo test --test debian`) and a RANDOM_MB (default 240) MiB random layer with skopeo.
# Needs hyperfine, GNU time, docker-registry, skopeo, umoci, curl, jq, gzip, syft.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-240}
. benches/lib.sh
need hyperfine /usr/bin/time docker-registry skopeo umoci curl jq gzip syft
export SYFT_CHECK_FOR_APP_UPDATE=false SYFT_REGISTRY_INSECURE_USE_HTTP=true
setup
start_registry

mkdir -p "$work/rootfs/data"
head -c "$((mb << 20))" /dev/urandom > "$work/rootfs/data/blob.bin"
umoci init --layout "$work/rand" >/dev/null
umoci new --image "$work/rand:1" >/dev/null
umoci insert --image "$work/rand:1" "$work/rootfs" / >/dev/null
rm -rf "$work/rootfs"
skopeo copy --quiet --dest-tls-verify=false "oci:$deb/oci:bookworm" "docker://$host/debian:bookworm"
skopeo copy --quiet --dest-tls-verify=false "oci:$work/rand:1" "docker://$host/rand:1"

# The limit: fetch every layer blob and decompress it, nothing else.
cat > "$work/limit.sh" <<'SH'
host=$1 repo=$2 ref=$3
accept='application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json'
for d in $(curl -fs -H "Accept: $accept" "http://$host/v2/$repo/manifests/$ref" | jq -r '.layers[].digest'); do
  curl -fs "http://$host/v2/$repo/blobs/$d" | gzip -dc > /dev/null
done
SH

echo "hullscan $("$bin" --version | cut -d' ' -f2), syft $(syft version 2>/dev/null | awk '/^Version/{print $2}'), $(nproc) cores, registry $(docker-registry --version | awk '{print $3}')"
for img in debian:bookworm rand:1; do
  repo=${img%%:*} ref=${img#*:}
  echo
  echo "== $img"
  hyperfine --style basic --warmup 1 --runs 5 --export-markdown "$work/$repo.md" \
    -n "limit: curl + gzip -dc of the layers" "bash $work/limit.sh $host $repo $ref" \
    -n "hullscan image" "$bin image --no-config -q -f json --fail-on never --insecure-registry $host $host/$img" \
    -n "syft (packages)" "syft scan -q registry:$host/$img -o json" >/dev/null
  cat "$work/$repo.md"
  rss=$(/usr/bin/time -f '%M' "$bin" image --no-config -q -f json --fail-on never --insecure-registry "$host" "$host/$img" 2>&1 >/dev/null | tail -1)
  echo "hullscan peak RSS: $((rss / 1024)) MiB"
done
