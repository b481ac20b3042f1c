#!/usr/bin/env bash
# Batch scan cost: `hullscan registry` over a registry of 30 images (10 repositories x 3 tags)
# built on three shared bases, cold cache then warm, next to a shell loop of `hullscan image`
# over the same references, and peak RSS at 10 and 30 images.
#
#   bash benches/batch.sh
#
# The bases are the Debian minbase image (cached by `cargo test --test debian`), Debian plus
# an 8 MiB random layer, and Debian plus a 16 MiB text layer; every image adds one small app
# layer (umoci). Needs hyperfine, GNU time, docker-registry, skopeo, umoci, curl, jq.
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/lib.sh
need hyperfine /usr/bin/time docker-registry skopeo umoci curl jq
setup
start_registry

# Bases in one layout: debian, debian + random, debian + text.
lay=$work/oci
cp -r "$deb/oci" "$lay"
mkdir -p "$work/r/opt" "$work/t/usr/share/doc/big"
head -c $((8 << 20)) /dev/urandom > "$work/r/opt/data.bin"
for i in $(seq 16); do base64 -w 76 < <(head -c $((768 << 10)) /dev/urandom) > "$work/t/usr/share/doc/big/$i.txt"; done
umoci insert --image "$lay:bookworm" --tag base1 "$work/r" / >/dev/null
umoci insert --image "$lay:bookworm" --tag base2 "$work/t" / >/dev/null
bases=(bookworm base1 base2)
refs=()
for r in $(seq 0 9); do
  for i in 1 2 3; do
    mkdir -p "$work/app/app"
    echo "app $r $i" > "$work/app/app/version"
    umoci insert --image "$lay:${bases[$(((r + i) % 3))]}" --tag "app$r-$i" "$work/app" / >/dev/null
    skopeo copy --quiet --dest-tls-verify=false "oci:$lay:app$r-$i" "docker://$host/team/app$r:v$i"
    refs+=("$host/team/app$r:v$i")
  done
done

# Layer bytes: total over the 30 images, and unique.
accept='application/vnd.oci.image.manifest.v1+json'
for ref in "${refs[@]}"; do
  repo=${ref#*/}; tag=${repo##*:}; repo=${repo%:*}
  curl -fs -H "Accept: $accept" "http://$host/v2/$repo/manifests/$tag" | jq -r '.layers[] | "\(.digest) \(.size)"'
done > "$work/layers.txt"
total=$(awk '{s+=$2} END {print s}' "$work/layers.txt")
unique=$(sort -u "$work/layers.txt" | awk '{s+=$2} END {print s}')

echo "hullscan $("$bin" --version | cut -d' ' -f2), $(nproc) cores, 30 images in 10 repositories on $host"
awk "BEGIN {printf \"layer bytes: total %d MiB, unique %d MiB (ratio %.3f)\\n\", $total / 1048576, $unique / 1048576, $unique / $total}"

t() { /usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null | tail -1; }
loop() { for ref in "${refs[@]}"; do "$bin" image --no-config -q -f json --fail-on never --insecure-registry "$host" "$ref" >/dev/null; done; }
read -r loop_s _ < <(/usr/bin/time -f '%e %M' bash -c "$(declare -f loop); bin=$bin host=$host refs=(${refs[*]}); loop" 2>&1 >/dev/null | tail -1)
batch="$bin registry --no-config -q --fail-on never --insecure-registry $host --cache $work/cache $host"
# hyperfine for the times (cold: the cache removed before each run), GNU time for peak RSS.
hyperfine --style none --runs 5 --prepare "rm -rf $work/cache" --export-json "$work/cold.json" "$batch" >/dev/null
hyperfine --style none --runs 10 --warmup 1 --export-json "$work/warm.json" "$batch" >/dev/null
cold_s=$(jq '.results[0].mean' "$work/cold.json")
warm_s=$(jq '.results[0].mean' "$work/warm.json")
rm -rf "$work/cache"
read -r _ cold_kb < <(t $batch)
read -r _ warm_kb < <(t $batch)
rm -rf "$work/cache10"
read -r ten_s ten_kb < <(t "$bin" registry --no-config -q --fail-on never --insecure-registry "$host" --cache "$work/cache10" --latest 1 "$host")
echo
echo "| run | seconds | peak RSS |"
echo "| --- | ---: | ---: |"
echo "| loop of 30 \`hullscan image\` | $loop_s | |"
printf '| `hullscan registry`, cold cache, 30 images (mean of 5) | %.3f | %d MiB |\n' "$cold_s" $((cold_kb / 1024))
printf '| `hullscan registry`, warm cache, 30 images (mean of 10) | %.3f | %d MiB |\n' "$warm_s" $((warm_kb / 1024))
echo "| \`hullscan registry\`, cold cache, 10 images (\`--latest 1\`) | $ten_s | $((ten_kb / 1024)) MiB |"
echo
awk "BEGIN {
  target = 1.2 * $unique / $total * $loop_s;
  printf \"cold target (1.2 x ratio x loop): %.2f s, measured %.2f s: %s\n\", target, $cold_s, ($cold_s <= target ? \"met\" : \"missed\");
  printf \"warm speed-up over cold: %.1fx (target 20x): %s\n\", $cold_s / $warm_s, ($cold_s / $warm_s >= 20 ? \"met\" : \"missed\");
}"
