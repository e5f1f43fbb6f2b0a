#!/usr/bin/env bash
# Builds real HashiCorp Vault from the Go module proxy (no registry ships a Vault binary) and caches
# it outside the repository, keyed by version; later calls only print the cached path.
#
# `go install github.com/hashicorp/vault@vX` refuses a module whose go.mod has `replace` lines, so
# we build through a wrapper module (never `go mod tidy` it: it imports nothing and tidy would drop
# the requirement). The wrapper requires Vault at the tag and:
#   - pins each local sub-module of the tag (`replace .../sdk => ./sdk`, api, api/auth/*) with a
#     `replace` to the pseudo-version of the tag's own commit when the proxy serves it, else to the
#     version the tag's go.mod requires (the proxy here answers 403 to commit queries);
#   - copies every non-local `replace` of the tag's go.mod verbatim.
# With published sub-modules only v1.21.0 and v1.21.1 compile (sdk v0.20.0); v1.21.2+ need their
# release branch's own sdk, which no published sdk version matches (see docs/engines.md).
#
# Usage: build-vault.sh [--installed]   (--installed: never build; fail when the binary is missing)
# Env: VAULT_VERSION (default below), GO (go binary). Last stdout line: the binary's path.
set -euo pipefail

# The tag's go.mod's requirement for module $1 ("" when none).
required() {
  awk -v m="$1" '$1 == m && $2 ~ /^v/ { print $2; exit }
    $1 == "require" && $2 == m { print $3; exit }' "$gomod"
}

# The pseudo-version the proxy gives the tag's commit for module $1 ("" when not served).
pseudo_version() {
  [ -n "$commit" ] || return 0
  local version
  version="$("$GO" mod download -json "$1@$commit" 2>/dev/null |
    sed -n 's/^[[:space:]]*"Version": "\(.*\)",$/\1/p')" || true
  case "$version" in v*-"${commit:0:12}") echo "$version" ;; esac
}

write_wrapper() {
  echo "module vaultbuild"
  echo
  echo "go $(sed -n 's/^go \([0-9.]*\)$/\1/p' "$gomod" | head -1)"
  echo
  echo "require github.com/hashicorp/vault $VAULT_VERSION"
  echo
  local module version
  for module in $(sed -n 's/^replace \([^ ]*\) => \.\/.*/\1/p' "$gomod"); do
    version="$(pseudo_version "$module")"
    if [ -z "$version" ]; then
      version="$(required "$module")"
      [ -n "$version" ] || continue
      echo "build-vault: $module at commit ${commit:-?} not served; using $version from go.mod" >&2
    fi
    echo "replace $module => $module $version"
  done
  grep -E '^replace ' "$gomod" | grep -v '=> \./' || true
}

main() {
  VAULT_VERSION="${VAULT_VERSION:-v1.21.1}"
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/vault-plugin-secrets-litellm"
  bin="$cache/bin/vault-$VAULT_VERSION"
  if ready; then echo "$bin"; return; fi
  if [ "${1:-}" = "--installed" ]; then
    echo "build-vault: Vault $VAULT_VERSION is not built ($bin): run 'make engines'" \
      "(cold build 25-45 min)" >&2
    return 1
  fi
  GO="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
  [ -x "$GO" ] || { echo "build-vault: Go is needed to build Vault (set GO=/path/to/go)" >&2; return 1; }

  mkdir -p "$cache/bin" "$cache/build/vault-$VAULT_VERSION"
  # One build at a time: `make engines` and e2e runs may start this concurrently.
  exec 9>"$cache/build/vault-$VAULT_VERSION.lock"
  flock 9
  if ready; then echo "$bin"; return; fi
  cd "$cache/build/vault-$VAULT_VERSION"
  local started=$SECONDS info
  echo "build-vault: building Vault $VAULT_VERSION in $PWD (cold: 25-45 min on 2 cores)" >&2

  info="$("$GO" mod download -json "github.com/hashicorp/vault@$VAULT_VERSION")"
  gomod="$(sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p' <<<"$info")"
  [ -f "$gomod" ] || { echo "build-vault: no go.mod for Vault $VAULT_VERSION: $info" >&2; return 1; }
  # The tag's commit, when the proxy's .info (one JSON line) records its origin.
  commit="$(sed -n 's/.*"Hash":"\([0-9a-f]\{40\}\)".*/\1/p' "${gomod%.mod}.info")"
  write_wrapper > go.mod
  cat go.mod >&2

  CGO_ENABLED=0 GOFLAGS=-mod=mod nice -n 10 "$GO" build -trimpath -ldflags='-s -w' \
    -o "$bin.tmp" github.com/hashicorp/vault
  mv "$bin.tmp" "$bin"
  echo "build-vault: built in $((SECONDS - started)) s: $("$bin" version)" >&2
  echo "$bin"
}

ready() { [ -x "$bin" ] && "$bin" version >/dev/null 2>&1; }

# Everything runs from functions, so bash has parsed the whole file before the long build starts.
main "$@"
