# Shared by the registry benchmarks: sourced after `cd` to the repository root.
#   need TOOL...        exits 2 naming the first missing tool
#   setup               builds the release binary ($bin, or takes $HULLSCAN_BIN) and the
#                       cached Debian image ($deb)
#   start_registry      starts docker-registry on a free 127.0.0.1 port ($host) with its data in
#                       a temp dir ($work), both removed on exit unless KEEP=1

need() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "missing $tool"; exit 2; }
  done
}

setup() {
  # HULLSCAN_BIN compares another build (say, before a change) on the same harness.
  if [ -n "${HULLSCAN_BIN:-}" ]; then
    bin=$HULLSCAN_BIN
  else
    cargo build --release --locked -q
    bin=$PWD/target/release/hullscan
  fi
  deb=$PWD/target/test-cache/debian
  [ -f "$deb/ready" ] || cargo test -q --test debian >/dev/null
}

start_registry() {
  work=$(mktemp -d)
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  host=127.0.0.1:$port
  printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: %s\n' "$work/data" "$host" > "$work/config.yml"
  docker-registry serve "$work/config.yml" >"$work/registry.log" 2>&1 &
  reg_pid=$!
  # KEEP=1 leaves the registry running, for profiling.
  [ -n "${KEEP:-}" ] || trap 'kill $reg_pid 2>/dev/null; rm -rf "$work"' EXIT
  for _ in $(seq 100); do curl -fs "http://$host/v2/" >/dev/null && break; sleep 0.1; done
}
