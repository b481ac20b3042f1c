#!/usr/bin/env bash
# Runs hullscan for the action: lints the Dockerfiles and/or scans the image, writes one SARIF
# file (one run per scan, each with its own automationDetails.id), annotates findings, writes a
# summary table to $GITHUB_STEP_SUMMARY and the outputs `sarif-file`, `findings`, `exit-code`.
# It never fails the step itself: the action's last step does, after the SARIF upload.
set -uo pipefail
bin=${HULLSCAN_BIN:-hullscan}
fail_on=${INPUT_FAIL_ON:-error}
format=${INPUT_FORMAT:-human}
category=${INPUT_CATEGORY:-hullscan}
tmp=${RUNNER_TEMP:-$(mktemp -d)}
sarif=${INPUT_OUTPUT:-$tmp/hullscan.sarif}
out=${GITHUB_OUTPUT:-/dev/null}
common=(--fail-on "$fail_on")
[ -n "${INPUT_CONFIG:-}" ] && common+=(--config "$INPUT_CONFIG")

runs=()
code=0
record() { # keep the worst exit code: 2 (error) > 1 (findings) > 0
  local c=$1
  if [ "$c" -eq 2 ] || { [ "$c" -eq 1 ] && [ "$code" -ne 2 ]; }; then code=$c; fi
}
if [ -n "${INPUT_DOCKERFILE:-}" ]; then
  read -r -a paths <<< "$(echo "$INPUT_DOCKERFILE" | tr '\n' ' ')"
  "$bin" dockerfile "${paths[@]}" "${common[@]}" -f "$format" --category "$category/dockerfile/"
  "$bin" dockerfile "${paths[@]}" "${common[@]}" -q -f sarif -o "$tmp/df.sarif" --category "$category/dockerfile/"
  record $?
  runs+=("$tmp/df.sarif")
fi
if [ -n "${INPUT_IMAGE:-}" ]; then
  "$bin" image "$INPUT_IMAGE" "${common[@]}" -q -f sarif -o "$tmp/img.sarif" --category "$category/image/"
  record $?
  [ -s "$tmp/img.sarif" ] && "$bin" image "$INPUT_IMAGE" "${common[@]}" -q -f "$format" --fail-on never
  runs+=("$tmp/img.sarif")
fi
if [ ${#runs[@]} -eq 0 ]; then
  echo "::error::give the action a 'dockerfile' or an 'image' input"
  echo "exit-code=2" >> "$out"
  exit 0
fi
existing=()
for r in "${runs[@]}"; do [ -s "$r" ] && existing+=("$r"); done
if [ ${#existing[@]} -eq 0 ]; then
  echo "exit-code=2" >> "$out"
  exit 0
fi
jq -s '{"$schema": .[0]["$schema"], version: "2.1.0", runs: [.[].runs[]]}' "${existing[@]}" > "$sarif"

# Annotations on the lines to fix; image findings without a file go to the run summary.
jq -r '.runs[] | .results[] |
  (if .level == "error" then "error" elif .level == "warning" then "warning" else "notice" end) as $cmd |
  .locations[0].physicalLocation as $p |
  "::\($cmd) file=\($p.artifactLocation.uri),line=\($p.region.startLine),endLine=\($p.region.endLine),title=\(.ruleId)::\(.message.text | gsub("%"; "%25") | gsub("\n"; "%0A"))"' "$sarif"

findings=$(jq '[.runs[].results[]] | length' "$sarif")
{
  echo "### hullscan"
  echo
  if [ "$findings" -eq 0 ]; then
    echo "No findings."
  else
    echo "| rule | name | level | findings |"
    echo "| --- | --- | --- | ---: |"
    jq -r '.runs[] | .tool.driver.rules as $rules | .results[] | [.ruleId, $rules[.ruleIndex].name, .level] | @tsv' "$sarif" |
      sort | uniq -c | sort -k2 |
      awk -F'\t' '{ split($1, a, " "); printf "| %s | `%s` | %s | %s |\n", a[2], $2, $3, a[1] }'
  fi
  echo
  echo "Exit code $code (fail-on: $fail_on). SARIF: \`$sarif\`"
} >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
{
  echo "sarif-file=$sarif"
  echo "findings=$findings"
  echo "exit-code=$code"
} >> "$out"
exit 0
