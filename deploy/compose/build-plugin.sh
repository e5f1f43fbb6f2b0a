#!/bin/sh
# Runs inside the plugin-build container: compile the plugin into the shared plugin directory.
set -eu
cp -r /src /tmp/build && cd /tmp/build
rm -rf node_modules .tools dist
bash scripts/build.sh
cp dist/vault-plugin-secrets-litellm /plugins/vault-plugin-secrets-litellm
chmod 0755 /plugins/vault-plugin-secrets-litellm
test "$(cat dist/vault-plugin-secrets-litellm.kind)" = compiled || { echo "expected a compiled binary" >&2; exit 1; }
