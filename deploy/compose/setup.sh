#!/bin/sh
# One-shot: register the plugin by sha256 in both engines, enable it and configure a demo role.
set -eu
sha=$(sha256sum /plugins/vault-plugin-secrets-litellm | cut -d' ' -f1)
for addr in http://vault:8200 http://openbao:8300; do
  export VAULT_ADDR=$addr VAULT_TOKEN=root
  until vault status >/dev/null 2>&1; do sleep 1; done
  vault plugin register -sha256="$sha" -command=vault-plugin-secrets-litellm secret litellm
  vault secrets enable -path=litellm litellm || true
  vault write litellm/config base_url=http://litellm:4000 master_key="$LITELLM_MASTER_KEY"
  vault write litellm/roles/demo models=gpt-4o-mini max_budget=1 ttl=1h max_ttl=24h
  echo "ready: VAULT_ADDR=$addr vault read litellm/creds/demo"
done
