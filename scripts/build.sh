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
mkdir -p dist
# shellcheck source=scripts/_plugin_flags.sh
. scripts/_plugin_flags.sh
write_version_module

"$deno" cache --quiet src/main.ts

kind=""
rm -f "$out"
compile_log="$(mktemp)"
if "$deno" compile --quiet "${plugin_flags[@]}" --output "$out" src/main.ts >"$compile_log" 2>&1; then
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
exec '$deno' run --cached-only --quiet --config '$root/deno.json' ${plugin_flags[*]} '$root/src/main.ts' "\$@"
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
