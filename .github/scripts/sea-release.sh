#!/usr/bin/env bash
# The single-binary step of .github/workflows/release.yml: for the new @aaisp/exporter tag, build
# the exporter's single executable (linux-x64, the runner's platform), smoke-test it as .ci/run
# does, and attach it with its SHA-256 checksum (`sha256sum -c` reads it) to the tag's GitHub
# release, created from the exporter's CHANGELOG section if the tag has none yet.
# Needs VERSION (the exporter's version) and GH_TOKEN.
set -euo pipefail
: "${VERSION:?the @aaisp/exporter version}"
tag="@aaisp/exporter@${VERSION}"
name="aaisp-exporter-${VERSION}-linux-x64"

npx -y pnpm@12.21.0 --filter @aaisp/exporter build:sea
out=$(mktemp -d)
cp apps/exporter/dist-sea/aaisp-exporter "$out/$name"
bash .ci/sea-smoke.sh "$out/$name" "$VERSION"
(cd "$out" && sha256sum "$name" >"$name.sha256")

if ! gh release view "$tag" >/dev/null 2>&1; then
  # The CHANGELOG's section for this version: from its heading to the next one.
  awk -v version="$VERSION" '
    $0 == "## " version { inside = 1; next }
    /^## / && inside { exit }
    inside { print }
  ' apps/exporter/CHANGELOG.md >"$out/notes.md"
  gh release create "$tag" --verify-tag --title "$tag" --notes-file "$out/notes.md"
fi
gh release upload "$tag" "$out/$name" "$out/$name.sha256" --clobber
echo "attached $name ($(stat -c %s "$out/$name") bytes) and its .sha256 to $tag"
