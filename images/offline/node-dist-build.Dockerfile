# Offline stand-in for public.ecr.aws/sam/build-nodejsX.x where no Debian release ships that Node
# (nodejs22.x): the official Node.js build, published on the npm registry as node-linux-<arch>
# (bin/node and the headers node-gyp needs), and npm from its own package, on the bookworm
# toolchain image.
ARG BASE
FROM ${BASE}
# ADD unpacks the tarballs that lbuild fetched with `npm pack` (both hold a package/ folder).
ADD node.tgz /opt/node-dist/
ADD npm.tgz /opt/npm-dist/
COPY install-npm.sh /usr/local/lib/lbuild-offline/
RUN cp -a /opt/node-dist/package/bin/node /usr/local/bin/node \
 && mkdir -p /usr/local/include && cp -a /opt/node-dist/package/include/node /usr/local/include/node \
 && rm -rf /opt/node-dist \
 && /usr/local/lib/lbuild-offline/install-npm.sh
ENV npm_config_nodedir=/usr/local
