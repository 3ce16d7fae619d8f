# Offline stand-in for public.ecr.aws/sam/build-python3.11: Debian 12 ships Python 3.11.
# Its glibc is 2.36, newer than Lambda's 2.26 (Amazon Linux 2): binaries built here may need
# symbols Lambda lacks, and `lbuild audit` says so. Real users get the AWS image.
ARG BASE=lbuild/offline-base:bookworm
FROM ${BASE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      python3 python3-pip python3-setuptools python3-wheel python3-dev python3-venv gcc g++ libc6-dev make binutils \
 && rm -rf /var/lib/apt/lists/*
ENV PIP_BREAK_SYSTEM_PACKAGES=1
