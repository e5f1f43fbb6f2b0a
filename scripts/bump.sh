#!/usr/bin/env bash
# make patch|minor|major: bump VERSION, write src/version.ts, commit and tag vX.Y.Z.
set -euo pipefail
part="${1:?usage: bump.sh patch|minor|major}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ -n "$(git status --porcelain)" ]; then echo "bump: the work tree has changes; commit them first" >&2; exit 1; fi
IFS=. read -r major minor patch < VERSION
case "$part" in
  patch) patch=$((patch + 1)) ;;
  minor) minor=$((minor + 1)); patch=0 ;;
  major) major=$((major + 1)); minor=0; patch=0 ;;
  *) echo "bump: expected patch, minor or major, got $part" >&2; exit 1 ;;
esac
version="$major.$minor.$patch"
echo "$version" > VERSION
printf '/** The plugin version, written by scripts/build.sh from the git tag or VERSION. */\nexport const VERSION = "%s";\n' "v$version" > src/version.ts
git add VERSION src/version.ts
git commit -qm "Release v$version"
git tag -a "v$version" -m "v$version"
echo "tagged v$version (push with: git push --follow-tags)"
