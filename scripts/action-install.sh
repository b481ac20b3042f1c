#!/usr/bin/env bash
# Installs the hullscan release binary for this runner and verifies it against the release's
# SHA256SUMS; falls back to `cargo install --locked` from the action's own source when the
# release has no binary for this platform. Never installs "latest": the version defaults to
# the one in the action's Cargo.toml. Writes `bin=PATH` to $GITHUB_OUTPUT.
set -euo pipefail
src=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
version=${INPUT_VERSION:-}
if [ -z "$version" ]; then
  version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$src/Cargo.toml" | head -1)
fi
version=${version#v}
case "$version" in ""|latest) echo "::error::hullscan version must be pinned (got '${INPUT_VERSION:-}')"; exit 2 ;; esac
repo=${HULLSCAN_REPOSITORY:-hullscan/hullscan}
base=${HULLSCAN_RELEASE_BASE_URL:-https://github.com/$repo/releases/download}
dest=${RUNNER_TEMP:-/tmp}/hullscan-$version
mkdir -p "$dest/bin"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=x86_64-unknown-linux-musl ;;
  Linux-aarch64|Linux-arm64) target=aarch64-unknown-linux-musl ;;
  Darwin-x86_64) target=x86_64-apple-darwin ;;
  Darwin-arm64) target=aarch64-apple-darwin ;;
  *) target="" ;;
esac

installed=""
if [ -n "$target" ]; then
  archive="hullscan-$version-$target.tar.gz"
  tmp=$(mktemp -d)
  if curl -fsSL --retry 3 -o "$tmp/$archive" "$base/v$version/$archive" &&
     curl -fsSL --retry 3 -o "$tmp/SHA256SUMS" "$base/v$version/SHA256SUMS"; then
    # Refuse anything the checksum file does not vouch for.
    if ! (cd "$tmp" && grep " $archive\$" SHA256SUMS | sha256sum -c --strict -); then
      echo "::error::checksum verification failed for $archive"
      exit 2
    fi
    tar -xzf "$tmp/$archive" -C "$dest/bin" hullscan
    installed="release $archive (sha256 verified)"
  fi
  rm -rf "$tmp"
fi
if [ -z "$installed" ]; then
  echo "no release binary for ${target:-this platform} at v$version; building from source"
  cargo install --locked --quiet --path "$src" --root "$dest"
  installed="cargo install from $src"
fi
"$dest/bin/hullscan" --version
echo "installed hullscan: $installed"
echo "bin=$dest/bin/hullscan" >> "${GITHUB_OUTPUT:-/dev/null}"
