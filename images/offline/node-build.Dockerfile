# Offline stand-in for public.ecr.aws/sam/build-nodejs18.x: Debian 12 ships Node.js 18.
# glibc 2.36 here vs 2.26 on Lambda's Amazon Linux 2: `lbuild audit` reports what that breaks.
ARG BASE=lbuild/offline-base:bookworm
FROM ${BASE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      nodejs npm g++ make python3 libnode-dev binutils \
 && rm -rf /var/lib/apt/lists/*
# node-gyp builds against the headers Debian ships with this Node instead of downloading them.
ENV npm_config_nodedir=/usr
