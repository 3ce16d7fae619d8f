# Offline stand-in for public.ecr.aws/sam/build-nodejsX.x: the toolchain image (compilers) plus
# Debian's own Node.js and npm (bookworm: Node 18 + npm 9, trixie: Node 20 + npm 9, forky:
# Node 24 + npm 12). glibc is newer than Lambda's; `lbuild audit` reports what that breaks.
ARG BASE
FROM ${BASE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      nodejs npm libnode-dev \
 && rm -rf /var/lib/apt/lists/*
# node-gyp builds against the headers Debian ships with this Node instead of downloading them.
ENV npm_config_nodedir=/usr
