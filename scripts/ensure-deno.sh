#!/usr/bin/env bash
# Prints the path of a deno binary of the pinned version, installing it from the
# npm registry into .tools/deno when none is on PATH. Only node/npm are assumed.
set -euo pipefail
DENO_VERSION="${DENO_VERSION:-2.9.6}"
root="$(cd "$(dirname "$0")/.." && pwd)"
if command -v deno >/dev/null 2>&1 && deno --version 2>/dev/null | head -1 | grep -q " ${DENO_VERSION} "; then
  command -v deno
  exit 0
fi
bin="$root/.tools/deno/node_modules/@deno/linux-x64-glibc/deno"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) pkg="@deno/linux-x64-glibc" ;;
  Linux-aarch64) pkg="@deno/linux-arm64-glibc"; bin="$root/.tools/deno/node_modules/$pkg/deno" ;;
  Darwin-arm64) pkg="@deno/darwin-arm64"; bin="$root/.tools/deno/node_modules/$pkg/deno" ;;
  Darwin-x86_64) pkg="@deno/darwin-x64"; bin="$root/.tools/deno/node_modules/$pkg/deno" ;;
  *) echo "ensure-deno: unsupported platform $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac
if [ ! -x "$bin" ] || ! "$bin" --version 2>/dev/null | head -1 | grep -q " ${DENO_VERSION} "; then
  echo "ensure-deno: installing deno ${DENO_VERSION} ($pkg) into .tools/deno" >&2
  mkdir -p "$root/.tools/deno"
  ( cd "$root/.tools/deno" && [ -f package.json ] || echo '{"private":true}' > package.json
    npm install --no-audit --no-fund --loglevel=error --ignore-scripts "$pkg@${DENO_VERSION}" >&2 )
fi
"$bin" --version >/dev/null
echo "$bin"
