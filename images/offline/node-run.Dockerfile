# Offline stand-in for public.ecr.aws/lambda/nodejs:18 (lbuild's bootstrap runs the handler).
ARG BASE=lbuild/offline-base:bookworm
FROM ${BASE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs \
 && rm -rf /var/lib/apt/lists/*
