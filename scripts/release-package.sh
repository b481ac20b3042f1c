#!/usr/bin/env bash
# Builds a release binary for TARGET and packs it as dist/hullscan-VERSION-TARGET.tar.gz, then
# (re)writes dist/SHA256SUMS for every archive in dist/. The release workflow calls this per
# target; CI calls it for the host target to prove packaging and checksums work.
#   scripts/release-package.sh TARGET [VERSION] [DIST]
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: release-package.sh TARGET [VERSION] [DIST]}
version=${2:-$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)}
version=${version#v}
dist=${3:-dist}
cargo build --release --locked --target "$target"
mkdir -p "$dist"
tar -czf "$dist/hullscan-$version-$target.tar.gz" -C "target/$target/release" hullscan
(cd "$dist" && sha256sum hullscan-*.tar.gz > SHA256SUMS && cat SHA256SUMS)
