#!/bin/sh
# The official node image's /usr/local/bin/docker-entrypoint.sh, for .ci/image.sh's stand-in
# node:*-slim base (no registry here). deploy/Dockerfile sets its own ENTRYPOINT, so the exporter
# image never runs this; it is here so that the base is the official one in that respect too
# (ENTRYPOINT ["docker-entrypoint.sh"], CMD ["node"]), and the test sees what a FROM inherits.
set -e

# Run command with node if the first argument contains a "-" or is not a system command. The last
# part inside the "{}" is a workaround for the following bug in ash/dash:
# https://bugs.debian.org/cgi-bin/bugreport.cgi?bug=874264
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi

exec "$@"
