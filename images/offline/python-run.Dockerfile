# Offline stand-in for public.ecr.aws/lambda/python:3.11 (no AWS runtime interface client, so
# lbuild's own bootstrap runs the handler). Flask and psycopg2 come from Debian here only because
# PyPI is unreachable on this machine; on Lambda they belong in the function's requirements.
ARG BASE=lbuild/offline-base:bookworm
FROM ${BASE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      python3 python3-flask python3-psycopg2 \
 && rm -rf /var/lib/apt/lists/*
