#!/usr/bin/env bash
# make build: produce dist/vault-plugin-secrets-litellm and print its sha256.
#
# `deno compile` needs a `denort` runtime that Deno downloads from the internet. Where that is not
# possible (and DENORT_BIN does not name a real denort), we write a launcher at the same path
# instead: a small script that execs the pinned deno with `run`, the same permission flags and a
# fixed DENO_DIR. The last lines say loudly which of the two was produced.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
deno="$(scripts/ensure-deno.sh)"
name="vault-plugin-secrets-litellm"
out="$root/dist/$name"
version="$(scripts/version.sh)"
mkdir -p dist
export DENO_DIR="${DENO_DIR:-$root/.cache/deno}"

# The plugin listens on and dials unix sockets in the temp dir (its own and the engine's broker
# sockets), talks to LiteLLM over the network and reads its environment. Nothing else: no
# subprocesses, no writes outside the temp dir. A 1 MB semi-space keeps the idle process
# ~10 MB smaller (measured: 80.8 MB -> 70.8 MB RSS) for a few more minor GCs.
tmp_dir="${PLUGIN_TMPDIR:-${TMPDIR:-/tmp}}"
perms=(--allow-net --allow-env "--allow-read=$tmp_dir" "--allow-write=$tmp_dir" --allow-sys=hostname,osRelease --no-prompt
  --v8-flags=--max-semi-space-size=1)

printf '/** The plugin version, written by scripts/build.sh from the git tag or VERSION. */\nexport const VERSION = "%s";\n' "$version" > src/version.ts.new
if ! cmp -s src/version.ts.new src/version.ts; then mv src/version.ts.new src/version.ts; else rm src/version.ts.new; fi

"$deno" cache --quiet src/main.ts

kind=""
rm -f "$out"
compile_log="$(mktemp)"
if "$deno" compile --quiet "${perms[@]}" --output "$out" src/main.ts >"$compile_log" 2>&1; then
  # A DENORT_BIN that is the plain deno CLI yields a file that is deno itself, not our program:
  # only accept the result if it answers --version with our version.
  if [ "$("$out" --version 2>/dev/null | head -1)" = "$name $version" ]; then
    kind="compiled"
  else
    echo "build: deno compile produced a file that does not run our program (is DENORT_BIN a real denort?); discarding it" >&2
    rm -f "$out"
  fi
else
  echo "build: deno compile failed (it needs the denort runtime: download or DENORT_BIN):" >&2
  sed 's/^/  | /' "$compile_log" | tail -5 >&2
fi
rm -f "$compile_log"

if [ -z "$kind" ]; then
  kind="launcher"
  cat > "$out" <<LAUNCHER
#!/bin/sh
# $name $version: LAUNCHER, not a compiled binary (deno compile could not get its denort runtime).
# It runs the same entry point with the pinned deno and the same permissions as the compiled build.
export DENO_DIR='$DENO_DIR'
export DENO_NO_UPDATE_CHECK=1
export NO_COLOR=1
exec '$deno' run --cached-only --quiet --config '$root/deno.json' ${perms[*]} '$root/src/main.ts' "\$@"
LAUNCHER
  chmod 0755 "$out"
fi

sha="$(sha256sum "$out" | cut -d' ' -f1)"
echo "$sha" > "$out.sha256"
echo "build: $out"
echo "build: version $version"
echo "build: sha256 $sha"
if [ "$kind" = "compiled" ]; then
  echo "build: KIND=compiled (self-contained executable from deno compile)"
else
  echo "build: KIND=launcher (NOT compiled: deno compile needs denort from the internet; set DENORT_BIN to a denort binary to compile)"
fi
echo "$kind" > "$out.kind"
