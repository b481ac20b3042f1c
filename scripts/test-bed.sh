#!/usr/bin/env bash
# Installs what `cargo test --locked` drives, then (with `--test`) runs it: the one command the
# README gives for a fresh machine, and what `.ci/run` calls.
#
#   bash scripts/test-bed.sh           # install the test bed only
#   bash scripts/test-bed.sh --test    # install it, then `cargo test --locked`
#
# Debian packages: debootstrap (a real rootfs), umoci and skopeo (OCI layouts and archives),
# buildah (real Dockerfile builds), docker.io and podman (local engines the tests start on
# temp sockets), docker-registry and apache2-utils (registries on
# 127.0.0.1, htpasswd), jq, chromium (renders the HTML report headless), time (GNU time: peak
# memory in tests/hostile.rs). PyPI: moto's server (the AWS API for the ECR tests). npm and
# PyPI packages as secret-scanner decoys (below). Each is installed only when missing; nothing
# is downloaded outside the package registries.
set -euo pipefail
cd "$(dirname "$0")/.."

need=(debootstrap umoci skopeo buildah jq docker-registry apache2-utils docker.io podman chromium time)
missing=()
for p in "${need[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "test bed: installing ${missing[*]}" >&2
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

python3 -c 'import moto.server, boto3' >/dev/null 2>&1 \
  || python3 -m pip install --quiet --disable-pip-version-check 'moto[server]'

# Decoys for the secret scanner: real npm and PyPI packages (their test fixtures, documented
# example keys, hashes and minified code must stay quiet; tests/secrets.rs scans them).
decoys=target/test-cache/decoys
if [ ! -f "$decoys/ready" ]; then
  mkdir -p "$decoys/node" "$decoys/python"
  (cd "$decoys/node" && npm install --silent --no-audit --no-fund --ignore-scripts \
    aws-sdk@2.1693.0 jsonwebtoken@9.0.3 stripe@23.2.0 @octokit/rest@22.0.1 >/dev/null)
  # Pinned, so a new release of a package cannot turn CI red overnight (bump them on purpose).
  python3 -m pip install --quiet --disable-pip-version-check --target "$decoys/python/site-packages" \
    boto3==1.44.18 requests==2.34.2 stripe==16.1.0 django==5.2.20
  touch "$decoys/ready"
fi

if [ "${1:-}" = "--test" ]; then
  shift
  # The suite's output as cargo prints it, then one closing line over every test binary
  # (cargo's own last line is the doc-test run, which has no tests).
  log=$(mktemp)
  # Variables that turn snapshot, docs and corpus checks into rewrites would make a failing
  # suite pass: the test command never honours them.
  unset INSTA_FORCE_PASS INSTA_UPDATE HULLSCAN_UPDATE_DOCS HULLSCAN_UPDATE_CORPUS
  export INSTA_UPDATE=no
  set +e
  # --no-fail-fast: every test binary runs, so one crash cannot hide the others' results.
  cargo test --locked --no-fail-fast "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  set -e
  # A binary that crashed prints no `test result:` line: count it as a failure, so the
  # closing line never reads "0 failed" on a failing run.
  awk -v status="$status" '/^test result:/ { p += $4; f += $6 }
       END { if (status != 0 && f == 0) f = 1; printf "%d passed, %d failed\n", p, f }' "$log"
  rm -f "$log"
  exit "$status"
fi
