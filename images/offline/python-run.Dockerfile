# Offline stand-in for public.ecr.aws/lambda/python:3.X: the interpreter and its standard library
# only, as on Lambda (lbuild's bootstrap runs the handler; there is no AWS runtime client).
ARG BASE
FROM ${BASE}
ARG PYTHON
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python${PYTHON} \
 && rm -rf /var/lib/apt/lists/* \
 && ln -sf /usr/bin/python${PYTHON} /usr/local/bin/python3
