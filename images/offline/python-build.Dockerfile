# Offline stand-in for public.ecr.aws/sam/build-python3.X, on the toolchain image (compilers) of
# the Debian release that ships Python $PYTHON (bookworm 3.11, trixie 3.13, forky 3.14 and 3.15).
# Its glibc is newer than Lambda's (2.26 on Amazon Linux 2, 2.34 on AL2023): binaries built here
# may need symbols Lambda lacks, and `lbuild audit` says so. Real users get the AWS image.
ARG BASE
FROM ${BASE}
ARG PYTHON
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      python${PYTHON} python${PYTHON}-dev python3-pip python3-setuptools python3-wheel \
 && rm -rf /var/lib/apt/lists/* \
 && ln -sf /usr/bin/python${PYTHON} /usr/local/bin/python3
# Debian marks its Python as externally managed; pip --target into the zip folder is what we want.
ENV PIP_BREAK_SYSTEM_PACKAGES=1
