# Offline stand-in for public.ecr.aws/lambda/nodejs:X from Debian's Node.js (lbuild's bootstrap
# runs the handler).
ARG BASE
FROM ${BASE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs \
 && rm -rf /var/lib/apt/lists/*
