#!/usr/bin/env bash
# The version, from one source of truth: an exact git tag vX.Y.Z on HEAD, else VERSION (+ "-dev").
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tag="$(git -C "$root" describe --tags --exact-match --match 'v[0-9]*.[0-9]*.[0-9]*' 2>/dev/null || true)"
if [ -n "$tag" ]; then echo "$tag"; else echo "v$(tr -d ' \n' < "$root/VERSION")"; fi
