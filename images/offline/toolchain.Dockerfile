# The compilers every offline build image needs (gcc/g++ for C extensions and node-gyp addons,
# make, binutils for the audit's readelf, Python for node-gyp), installed once per Debian release.
ARG BASE
FROM ${BASE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      gcc g++ libc6-dev make binutils python3 \
 && rm -rf /var/lib/apt/lists/*
