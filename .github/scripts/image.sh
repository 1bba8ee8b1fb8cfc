#!/usr/bin/env bash
# Builds and pushes the exporter image for $VERSION to ghcr.io, with an SBOM and provenance
# attestations (buildx). amd64 only: an arm64 build needs QEMU (binfmt) on the runner, which
# would mean another third-party action or image to pin.
set -euo pipefail
: "${VERSION:?VERSION is the new @aaisp/exporter version}"
owner=$(echo "${GITHUB_REPOSITORY_OWNER}" | tr '[:upper:]' '[:lower:]')
image="ghcr.io/${owner}/aaisp-exporter"

echo "${GH_TOKEN}" | docker login ghcr.io -u "${GITHUB_ACTOR}" --password-stdin
docker buildx create --use >/dev/null
docker buildx build \
  --file deploy/Dockerfile \
  --platform linux/amd64 \
  --build-arg "VERSION=${VERSION}" \
  --label "org.opencontainers.image.revision=${GITHUB_SHA}" \
  --sbom=true \
  --provenance=mode=max \
  --tag "${image}:${VERSION}" \
  --tag "${image}:latest" \
  --push \
  .
