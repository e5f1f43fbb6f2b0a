#!/usr/bin/env bash
# make release: `deno compile --target` for every platform into dist/release/, SHA256SUMS, and
# the exact register lines per artifact. deno compile needs each target's denort runtime, which
# Deno downloads; where that is impossible the release fails with a clear message and leaves no
# partial files. DENORT_BIN can supply the runtime of the machine's own target only.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
deno="$(scripts/ensure-deno.sh)"
name="vault-plugin-secrets-litellm"
out="$root/dist/release"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1
# shellcheck source=scripts/_plugin_flags.sh
. scripts/_plugin_flags.sh
targets=(x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-apple-darwin aarch64-apple-darwin)
write_version_module
failed=()
for target in "${targets[@]}"; do
  file="$tmp/${name}_${version}_${target}"
  if ! "$deno" compile --quiet --target "$target" "${plugin_flags[@]}" --output "$file" src/main.ts >"$tmp/$target.log" 2>&1; then
    failed+=("$target: $(grep -m1 -iE 'error|denort' "$tmp/$target.log" | cut -c1-160)")
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "release: deno compile failed for ${#failed[@]} of ${#targets[@]} targets; nothing was written to dist/release:" >&2
  printf '  %s\n' "${failed[@]}" >&2
  echo "release: deno compile downloads each target's denort runtime; without internet access set DENORT_BIN" >&2
  echo "release: to a denort binary (it only serves the machine's own target), or release from a machine with access." >&2
  exit 1
fi
mkdir -p "$out"
rm -f "$out"/*
cp "$tmp"/${name}_* "$out"/
(cd "$out" && sha256sum ${name}_* > SHA256SUMS)
echo "release: $out"
while read -r sha file; do
  echo "$file"
  echo "  vault plugin register -sha256=$sha -command=$file -version=$version secret litellm"
  echo "  bao plugin register -sha256=$sha -command=$file -version=$version secret litellm"
done < "$out/SHA256SUMS"
