/**
 * The container half of package.systemPackages, as text: a POSIX sh script that installs OS
 * packages with the build image's package manager. Shipped as a string (put into the container
 * with putArchive, like slim's strip driver) so the build image needs no rebuild for it, and its
 * hash goes into the dependency cache key.
 *
 * Lines starting with "lbuild: " are progress for the user; everything else is the package
 * manager's own output (shown with --verbose, and its tail on failure).
 *
 * - apt: the stand-ins delete their package lists to stay small, so `apt-get update` comes first.
 * - yum: by default yum installs what it finds and exits 0 when one of several names is unknown;
 *   skip_missing_names_on_install=False makes an unknown name fail the install.
 * - dnf: Amazon Linux 2023's build images have dnf, its minimal images only microdnf.
 */
export const installScript = String.raw`#!/bin/sh
# usage: system-packages.sh <apt|yum|dnf> <package>...
set -u
manager=$1
shift
say() { printf 'lbuild: %s\n' "$*"; }
case "$manager" in
  apt)
    export DEBIAN_FRONTEND=noninteractive
    say "apt-get update"
    apt-get update || exit $?
    say "apt-get install $*"
    exec apt-get install -y --no-install-recommends "$@"
    ;;
  yum)
    say "yum install $*"
    exec yum install -y --setopt=skip_missing_names_on_install=False "$@"
    ;;
  dnf)
    if command -v dnf >/dev/null 2>&1; then tool=dnf
    elif command -v microdnf >/dev/null 2>&1; then tool=microdnf
    else echo "lbuild: neither dnf nor microdnf is installed in the build image" >&2; exit 127
    fi
    say "$tool install $*"
    exec "$tool" install -y "$@"
    ;;
  *)
    echo "lbuild: unknown package manager $manager" >&2
    exit 2
    ;;
esac
`;
