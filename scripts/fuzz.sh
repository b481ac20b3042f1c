#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), seeded from testdata/ and from small
# layers made here; a crash fails the run and leaves its input in fuzz/artifacts/TARGET/.
# Commit each crash as a regression test (tests/hostile.rs or the module's unit tests).
#
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]   explore (the corpus grows in fuzz/corpus/)
#   bash scripts/fuzz.sh --ci                    what CI runs: every target from the seeds only,
#                                                a fixed seed and a fixed number of runs (about
#                                                two minutes in all), so a run is repeatable
#
# Needs cargo-fuzz (installed from crates.io when missing). libFuzzer needs nightly flags;
# RUSTC_BOOTSTRAP=1 lets the stable toolchain accept them.
set -euo pipefail
cd "$(dirname "$0")/.."
ci=""
if [ "${1:-}" = "--ci" ]; then ci=1; shift; fi
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(dockerfile layer metadata reference secrets ecs)
# Runs per target in --ci mode, sized from measured rates on a 2-core machine.
declare -A ci_runs=([dockerfile]=50000 [layer]=80000 [metadata]=1000000 [reference]=1000000 [secrets]=60000 [ecs]=200000)
export RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null 2>&1 || cargo install --locked cargo-fuzz
seeds=$(mktemp -d); trap 'rm -rf "$seeds"' EXIT
mkdir -p "$seeds"/{dockerfile,layer,metadata,reference,secrets,ecs}
# Dockerfile seeds: the rule fixtures and every 10th file of the committed real-world corpus,
# each behind the byte that picks its path (see fuzz/fuzz_targets/dockerfile.rs).
i=0
while IFS= read -r f; do
  i=$((i + 1))
  { printf "\\$(printf '%03o' $((i % 8)))"; cat "$f"; } > "$seeds/dockerfile/seed-$i"
done < <( { find testdata/dockerfiles -name '*.Dockerfile'; \
            tail -n +2 testdata/corpus/dockerfiles/ORIGINS.tsv | awk -F'\t' 'NR % 10 == 0 { print "testdata/corpus/dockerfiles/" $1 }'; } | sort)
# Layers: a small tree as plain tar, gzip and zstd, with a symlink, a setuid file and PAX.
tree=$(mktemp -d)
mkdir -p "$tree/etc" "$tree/usr/bin"
printf 'root:x:0:0::/root:/bin/sh\n' > "$tree/etc/passwd"
printf 'x' > "$tree/usr/bin/su"; chmod 4755 "$tree/usr/bin/su"
ln -s usr/bin "$tree/bin"
tar --format=pax -C "$tree" -cf "$seeds/layer/plain.tar" .
gzip -c "$seeds/layer/plain.tar" > "$seeds/layer/layer.tgz"
if command -v zstd >/dev/null; then zstd -q -c "$seeds/layer/plain.tar" > "$seeds/layer/layer.tzst"; fi
tar --format=gnu -C "$tree" -cf "$seeds/layer/gnu.tar" .
rm -rf "$tree"
printf '{"architecture":"amd64","os":"linux","config":{"User":"app","Env":["A=b"],"Healthcheck":{"Test":["NONE"]}},"rootfs":{"type":"layers","diff_ids":[]},"history":[{"created_by":"/bin/sh -c #(nop) USER app"},{"created_by":"RUN |1 A=b /bin/sh -c make"}]}' > "$seeds/metadata/config.json"
# Secrets: the shapes the detector looks for, with placeholder values (no real-looking secret).
printf 'aws_secret_access_key = %s\nAKIA%s\n' "$(printf 'x%.0s' {1..40})" ABCDEFGHIJKLMNOP > "$seeds/secrets/aws"
printf -- '-----BEGIN RSA PRIVATE KEY-----\n%s\n-----END RSA PRIVATE KEY-----\n' "$(printf 'A%.0s' {1..64})" > "$seeds/secrets/pem"
printf '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----\\n"}' > "$seeds/secrets/gcp"
printf 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2lnbmF0dXJl\npostgres://u:p@h/db machine m login l password p\n' > "$seeds/secrets/mixed"
printf '{"auths":{"r":{"auth":"dTpw"}}}\nghp_ npm_ glpat- xoxb- sk_live_ AIza SG. sk-ant- sk-proj- pypi-Ag twilio client-key-data: token:\n' > "$seeds/secrets/prefixes"
for r in debian:12 docker://ghcr.io/a/b@sha256:0123 oci:dir:tag docker-archive:x.tar:a/b:1 127.0.0.1:5000/x/y:z; do
  printf '%s' "$r" > "$seeds/reference/$(printf '%s' "$r" | tr -c 'a-z0-9' _)"
done
# Task definitions: register JSON, CloudFormation YAML with short-form tags, a Terraform plan.
printf '{"family":"f","networkMode":"host","pidMode":"host","volumes":[{"name":"v","host":{"sourcePath":"/var/run/docker.sock"}},{"name":"e","efsVolumeConfiguration":{"fileSystemId":"x"}}],"containerDefinitions":[{"name":"a","image":"nginx","privileged":true,"user":"0","environment":[{"name":"P","value":"x"}],"mountPoints":[{"sourceVolume":"v","containerPath":"/s"}],"linuxParameters":{"capabilities":{"add":["SYS_ADMIN"]},"devices":[{"hostPath":"/dev/mem"}]},"dockerSecurityOptions":["seccomp:unconfined"],"systemControls":[{"namespace":"net.ipv4.ip_forward"}]}]}' > "$seeds/ecs/register.json"
printf 'Resources:
  T:
    Type: AWS::ECS::TaskDefinition
    Properties:
      IpcMode: host
      ContainerDefinitions:
        - Name: a
          Image: !Sub "${A}/x"
          Privileged: !If [C, true, false]
          User: "0:0"
' > "$seeds/ecs/stack.yaml"
printf '{"planned_values":{"root_module":{"resources":[{"address":"a.b","type":"aws_ecs_task_definition","values":{"network_mode":"host","container_definitions":"[{\"name\":\"a\",\"privileged\":true}]"}}]}}}' > "$seeds/ecs/plan.json"
for t in "${targets[@]}"; do
  if [ -n "$ci" ]; then echo "==> fuzz $t (${ci_runs[$t]} runs, seed 1)"; else echo "==> fuzz $t for ${secs}s"; fi
  mkdir -p "fuzz/corpus/$t"
  log="$seeds/$t.log"
  if [ -n "$ci" ]; then
    corpus=$(mktemp -d -p "$seeds")
    bound=(-seed=1 -runs="${ci_runs[$t]}" -max_total_time=300)
  else
    corpus="fuzz/corpus/$t"
    bound=(-max_total_time="$secs")
  fi
  if ! cargo fuzz run --fuzz-dir fuzz "$t" "$corpus" "$seeds/$t" -- \
    "${bound[@]}" -rss_limit_mb=2048 -timeout=10 -max_len=1048576 -print_final_stats=1 >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz target $t failed; its input is in fuzz/artifacts/$t"
    exit 1
  fi
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)|^Done' "$log" || tail -3 "$log"
done
