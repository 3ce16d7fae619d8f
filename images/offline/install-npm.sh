#!/bin/sh
# Install npm from its own package (unpacked by ADD into /opt/npm-dist/package) as /usr/local/bin/npm.
# Debian's npm package pulls in some 300 node-* packages and minutes of dpkg; the registry's npm is
# one tarball of the same major.
set -eu
mkdir -p /usr/local/lib/node_modules
mv /opt/npm-dist/package /usr/local/lib/node_modules/npm
rm -rf /opt/npm-dist
ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
