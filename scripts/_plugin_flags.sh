# Sourced by build.sh and release.sh: the one place that says how the plugin runs.
#
# The plugin listens on and dials unix sockets in the temp dir (its own and the engine's broker
# sockets), talks to LiteLLM over the network and reads its environment. Nothing else: no
# subprocesses, no writes outside the temp dir. A 1 MB semi-space keeps the idle process ~10 MB
# smaller (measured: 80.8 MB -> 70.8 MB RSS) for a few more minor GCs.
# shellcheck shell=bash
tmp_dir="${PLUGIN_TMPDIR:-${TMPDIR:-/tmp}}"
plugin_flags=(--allow-net --allow-env "--allow-read=$tmp_dir" "--allow-write=$tmp_dir"
  --allow-sys=hostname,osRelease --no-prompt --v8-flags=--max-semi-space-size=1)
version="$(scripts/version.sh)"
export DENO_DIR="${DENO_DIR:-$root/.cache/deno}"

# Writes src/version.ts for `version` (only when it changes, so the tree stays clean).
write_version_module() {
  printf '/** The plugin version, written by scripts/build.sh from the git tag or VERSION. */\nexport const VERSION = "%s";\n' "$version" > src/version.ts.new
  if cmp -s src/version.ts.new src/version.ts; then rm src/version.ts.new; else mv src/version.ts.new src/version.ts; fi
}
