#!/usr/bin/env bash
# Task definitions joined with their images: `hullscan ecs` over 200 task definition files
# that run 40 distinct images (the Debian minbase image plus one small app layer each) from a
# local docker-registry, with a cold layer cache and then a warm one, next to the task
# definitions alone (`--no-images`) and a shell loop of `hullscan image` over the 40 images.
#
#   bash benches/ecs.sh
#
# Needs hyperfine, GNU time, docker-registry, skopeo, umoci, curl, jq.
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/lib.sh
need hyperfine /usr/bin/time docker-registry skopeo umoci curl jq
setup
start_registry

lay=$work/oci
cp -r "$deb/oci" "$lay"
refs=()
for i in $(seq 1 40); do
  mkdir -p "$work/app/app"
  echo "app $i" > "$work/app/app/version"
  umoci insert --image "$lay:bookworm" --tag "app$i" "$work/app" / >/dev/null
  skopeo copy --quiet --dest-tls-verify=false "oci:$lay:app$i" "docker://$host/team/app$i:v1"
  refs+=("$host/team/app$i:v1")
done
# 200 task definitions, five per image, with the usual mistakes and a few good ones.
mkdir -p "$work/tds"
for n in $(seq 1 200); do
  img=${refs[$(((n - 1) % 40))]}
  jq -n --arg img "$img" --arg fam "svc$n" '{family: $fam, networkMode: "awsvpc",
    containerDefinitions: [{name: "app", image: $img, essential: true,
      environment: [{name: "PORT", value: "8080"}],
      logConfiguration: {logDriver: "awslogs", options: {"awslogs-group": "/ecs/app"}}},
     {name: "sidecar", image: $img, privileged: ($fam | test("5$")), user: "1000"}]}' > "$work/tds/$n.json"
done
echo "hullscan $("$bin" --version | cut -d' ' -f2), $(nproc) cores, 200 task definitions, ${#refs[@]} images"
cache=$work/cache
run="$bin ecs --no-config -q -f json --fail-on never --insecure-registry $host $work/tds"
loop="for r in ${refs[*]}; do $bin image --no-config -q -f json --fail-on never --no-cache --insecure-registry $host docker://\$r >/dev/null; done"
hyperfine --style basic --runs 5 --export-markdown "$work/a.md" \
  -n "hullscan ecs --no-images (task definitions only)" "$bin ecs --no-config -q -f json --fail-on never --no-images $work/tds" >/dev/null
hyperfine --style basic --runs 3 --prepare "rm -rf $cache" --export-markdown "$work/b.md" \
  -n "hullscan ecs, cold layer cache" "XDG_CACHE_HOME=$cache $run" >/dev/null
hyperfine --style basic --runs 5 --warmup 1 --export-markdown "$work/c.md" \
  -n "hullscan ecs, warm layer cache" "XDG_CACHE_HOME=$cache $run" >/dev/null
hyperfine --style basic --runs 2 --export-markdown "$work/d.md" \
  -n "loop of 40 hullscan image (no cache)" "bash -c '$loop'" >/dev/null
{ cat "$work/a.md"; tail -n +3 "$work/b.md"; tail -n +3 "$work/c.md"; tail -n +3 "$work/d.md"; } > "$work/ecs.md"
cat "$work/ecs.md"
rm -rf "$cache"
rss=$(XDG_CACHE_HOME=$cache /usr/bin/time -f '%M' $run 2>&1 >/dev/null | tail -1)
echo "hullscan ecs peak RSS, cold: $((rss / 1024)) MiB"
findings=$(XDG_CACHE_HOME=$cache $run | jq '.findings | length')
echo "findings: $findings"
