# Offline stand-in for public.ecr.aws/sam/build-nodejsX.x: the toolchain image (compilers) plus
# Debian's own Node.js and its headers (bookworm: Node 18, trixie: Node 20, forky: Node 24), and
# npm from the registry's npm package (10, or forky's 12 for nodejs24.x). glibc is newer than
# Lambda's; `lbuild audit` reports what that breaks.
ARG BASE
FROM ${BASE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs libnode-dev \
 && rm -rf /var/lib/apt/lists/*
ADD npm.tgz /opt/npm-dist/
COPY install-npm.sh /usr/local/lib/lbuild-offline/
RUN /usr/local/lib/lbuild-offline/install-npm.sh
# node-gyp builds against the headers Debian ships with this Node instead of downloading them.
ENV npm_config_nodedir=/usr
