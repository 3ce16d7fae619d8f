# Offline stand-in for public.ecr.aws/lambda/python:3.X: the interpreter and its standard library
# only, as on Lambda (lbuild's bootstrap runs the handler; there is no AWS runtime client).
ARG BASE
FROM ${BASE}
ARG PYTHON
# APP_PACKAGES is empty for every runtime but python3.11, whose image still carries Debian's Flask
# and psycopg2 for the Python example until its zip carries them (issue 11). Lambda has neither.
ARG APP_PACKAGES=""
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python${PYTHON} ${APP_PACKAGES} \
 && rm -rf /var/lib/apt/lists/* \
 && ln -sf /usr/bin/python${PYTHON} /usr/local/bin/python3
