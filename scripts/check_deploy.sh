#!/usr/bin/env bash
# make deploy-check: every manifest under deploy/k8s parses, and each document has a known
# apiVersion/kind and the fields that kind needs (kubectl --dry-run=client cannot help without a
# cluster: it needs the API server's discovery to map kinds). PyYAML is installed into the
# project's ignored venv when missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.tools/venv"
[ -x "$venv/bin/python3" ] || python3 -m venv "$venv"
"$venv/bin/python3" -c 'import yaml' 2>/dev/null || "$venv/bin/pip" install --quiet --disable-pip-version-check pyyaml >&2
"$venv/bin/python3" "$root/scripts/check_deploy.py" "$root/deploy/k8s" "$root/docker-compose.yml"
