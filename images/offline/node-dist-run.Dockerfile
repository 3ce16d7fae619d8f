# Offline stand-in for public.ecr.aws/lambda/nodejs:X where no Debian release ships that Node
# (nodejs22.x): the official Node.js binary from the npm registry's node-linux-<arch> package.
ARG BASE
FROM ${BASE}
ADD node.tgz /opt/node-dist/
RUN cp -a /opt/node-dist/package/bin/node /usr/local/bin/node && rm -rf /opt/node-dist
