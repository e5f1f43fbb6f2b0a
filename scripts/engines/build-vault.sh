#!/usr/bin/env bash
# Builds HashiCorp Vault from the Go module proxy (no registry ships a Vault binary) and caches it
# outside the repository, keyed by version; a later call only prints the cached path.
#
# `go install github.com/hashicorp/vault@vX` refuses modules with `replace` directives, so we
# build through a wrapper module that requires Vault and copies the non-local replaces of the
# tag's go.mod. The tag's local replaces (./api, ./sdk) cannot be followed outside the source
# tree, so the api/sdk versions its go.mod requires are used. That only compiles where those
# published versions match the release tree: v1.21.0 does; v1.21.1-v1.21.4 need the release
# branch's own sdk, which no published sdk version matches (and this proxy serves no commit
# pseudo-versions). See docs/engines.md.
# Last stdout line: the binary's path.
set -euo pipefail
VAULT_VERSION="${VAULT_VERSION:-v1.21.0}"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/vault-plugin-secrets-litellm"
bin="$cache/bin/vault-$VAULT_VERSION"
if [ -x "$bin" ] && "$bin" version >/dev/null 2>&1; then echo "$bin"; exit 0; fi
command -v go >/dev/null || { echo "build-vault: go is required to build Vault" >&2; exit 1; }

work="$cache/build/vault-$VAULT_VERSION"
mkdir -p "$work" "$cache/bin"
cd "$work"
echo "build-vault: building Vault $VAULT_VERSION in $work (cold: ~25 min on 2 cores)" >&2

gomod="$(go mod download -json "github.com/hashicorp/vault@$VAULT_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
[ -f "$gomod" ] || { echo "build-vault: could not download Vault $VAULT_VERSION's go.mod" >&2; exit 1; }
goversion="$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$gomod" | head -1)"
{
  echo "module vaultbuild"
  echo
  echo "go $goversion"
  echo
  echo "require github.com/hashicorp/vault $VAULT_VERSION"
  echo
  # Every replace of the tag's go.mod whose target is another module (not a ./ directory).
  grep -E '^replace ' "$gomod" | grep -v '=> \./' || true
} > go.mod

# Never `go mod tidy` here: the wrapper imports nothing and tidy would drop the requirement.
CGO_ENABLED=0 GOFLAGS=-mod=mod nice -n 10 go build -trimpath -o "$bin.tmp" github.com/hashicorp/vault
mv "$bin.tmp" "$bin"
"$bin" version >&2
echo "$bin"
