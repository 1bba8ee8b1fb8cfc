#!/usr/bin/env bash
# The release step of .github/workflows/release.yml (what changesets/action does, by hand).
set -euo pipefail
pnpm() { npx -y pnpm@12.21.0 "$@"; }

git config user.name 'github-actions[bot]'
git config user.email '41898282+github-actions[bot]@users.noreply.github.com'

if find .changeset -maxdepth 1 -name '*.md' ! -name 'README.md' | grep -q .; then
  # Pending changesets: the "Version Packages" pull request, rebuilt from main each time.
  branch=changeset-release/main
  git switch -C "$branch"
  pnpm version-packages # changeset version, then the lockfile follows the new ranges
  git add -A
  git commit -m 'Version Packages'
  git push --force origin "$branch"
  if [ -z "$(gh pr list --head "$branch" --base main --state open --json number --jq '.[].number')" ]; then
    gh pr create --base main --head "$branch" --title 'Version Packages' \
      --body 'Merging this publishes the packages and tags the exporter (see .changeset and each CHANGELOG.md).'
  fi
  echo 'exporter_version=' >>"$GITHUB_OUTPUT"
  exit 0
fi

# Nothing pending: publish whatever main's versions npm does not have yet (the three libraries and
# @aaisp/exporter, the CLI), and tag them; a new exporter tag then gets its image and its single
# binary in the next steps of the workflow.
before=$(git tag --list | sort)
pnpm release
git push origin --tags
exporter=$(comm -13 <(echo "$before") <(git tag --list | sort) | sed -n 's|^@aaisp/exporter@||p' | tail -1)
echo "exporter_version=${exporter}" >>"$GITHUB_OUTPUT"
