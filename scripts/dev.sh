#!/usr/bin/env bash
# One entry point for working on lbuild from a fresh clone:
#   bash scripts/dev.sh example          # serve the Python example app (API, Postgres, SPA) locally
#   bash scripts/dev.sh example django   # serve the Django example; then, in another terminal:
#   bash scripts/dev.sh manage migrate   # `lbuild manage` in the Django example (its tables)
#   bash scripts/dev.sh test             # the full test suite against a real Docker engine
# It installs what is missing (npm packages, a Docker engine, the offline stand-in images), then runs.
set -euo pipefail
cd "$(dirname "$0")/.."

ensure_node_modules() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "▸ npm ci" >&2
    npm ci --no-audit --no-fund >&2
  fi
}

ensure_images() {
  # No registry is reachable here, so lbuild's offline stand-ins replace the AWS images: those
  # named in the arguments, or every runtime's (the tests run them all).
  node bin/lbuild.js images build --offline "$@" >&2
}

ensure_wheels() {
  # Wheel folders made from Debian's python3-* packages (scripts/debian-wheels.mjs): how this
  # repository's tests and examples get Flask, Django and FastAPI with no PyPI. Needs the toolchain
  # images, so it starts once ensure_images is done; reused while its inputs are unchanged.
  node scripts/debian-wheels.mjs "$@" >/dev/null
}

example_pip_conf() {
  # The examples' requirements are real pins; with no PyPI here, a pip.conf in each example (which
  # lbuild ships to the build container and keeps out of the zip) points pip at the bookworm
  # wheels instead. Not committed: a clone on a machine with PyPI installs from PyPI.
  local folder example
  folder=$(node --input-type=module -e "import { wheelFolder } from './scripts/debian-wheels.mjs'; console.log(wheelFolder('bookworm'))")
  for example in examples/python-app examples/django-app; do
    cat > "$example/pip.conf" <<EOF
# Written by scripts/dev.sh: this repository's machines have no PyPI, so pip installs the pinned
# requirements from wheels made of Debian bookworm's packages. Delete this file to use PyPI.
[global]
no-index = true
find-links = $folder
EOF
  done
}

example_environment() {
  # pip lets these variables override the example's pip.conf (some machines set PIP_FIND_LINKS to
  # a folder of their own), and then finds none of the pins: the pip.conf is the source here.
  unset PIP_FIND_LINKS PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_CONFIG_FILE
  export LBUILD_IMAGE_SOURCE=${LBUILD_IMAGE_SOURCE:-offline}
}

ensure_test_tools() {
  local missing=()
  command -v unzip >/dev/null 2>&1 || missing+=(unzip)
  command -v zip >/dev/null 2>&1 || missing+=(zip)
  command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
  # Real Flask and Starlette for the WSGI/ASGI adapter tests (PyPI is unreachable here; Debian has them).
  /usr/bin/python3 -c 'import flask, starlette' >/dev/null 2>&1 || missing+=(python3-flask python3-starlette)
  # Host pip builds the wheels the package-source tests install offline (setuptools first: pip
  # imports distutils, which setuptools must replace before).
  /usr/bin/python3 -c 'import setuptools, wheel, pip' >/dev/null 2>&1 || missing+=(python3-pip python3-wheel python3-setuptools)
  # Headless Chromium for the end-to-end test of the served example (driven by playwright-core).
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  # AWS's aws-lambda-ric (a real runtime client run against our Runtime API) compiles its bundled curl.
  command -v autoreconf >/dev/null 2>&1 || missing+=(autoconf automake libtool)
  # Real toolchains for the audit fixtures: aarch64 ELF, Mach-O and PE (llvm/lld), musl.
  command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || missing+=(gcc-aarch64-linux-gnu)
  command -v ld64.lld-14 >/dev/null 2>&1 || missing+=(lld-14)
  command -v llvm-mc-14 >/dev/null 2>&1 || missing+=(llvm-14)
  command -v musl-gcc >/dev/null 2>&1 || missing+=(musl-tools)
  command -v objdump >/dev/null 2>&1 || missing+=(binutils)
  if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "▸ installing ${missing[*]} (apt)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

cmd=${1:-}
shift || true
case "$cmd" in
  example)
    ensure_node_modules
    npm run build >&2
    bash scripts/setup-docker.sh
    # The example's runtime and its database only: a first run builds two images, not twenty.
    ensure_images --runtime python3.11 --postgres
    ensure_wheels --release bookworm
    example_pip_conf
    example_environment
    app=examples/python-app
    if [ "${1:-}" = django ]; then
      shift
      app=examples/django-app
      # Its tables come from Django's migrations, run in the function's environment beside the stack.
      echo "▸ then, in another terminal: bash scripts/dev.sh manage migrate" >&2
    fi
    exec node bin/lbuild.js serve "$app" "$@"
    ;;
  manage)
    # The same package sources and images as `example django` used, or the dependencies would be
    # installed again (and, with a PIP_FIND_LINKS of the machine's, from the wrong place).
    example_environment
    exec node bin/lbuild.js manage --dir examples/django-app "$@"
    ;;
  test)
    ensure_node_modules
    bash scripts/setup-docker.sh
    npm run build >&2
    # The test tools (apt on the host, then AWS's aws-lambda-ric when asked: a C++ compile) and the
    # stand-in images (debootstrap, builds in the engine) do not wait on each other: on a fresh
    # machine this takes some five minutes off the critical path.
    { ensure_test_tools && if [ "${LBUILD_TEST_RIC:-}" = 1 ]; then node test/support/aws-lambda-ric.mjs >&2; fi; } & tools=$!
    ensure_images
    # The wheels overlap with the test tools, which are often still compiling aws-lambda-ric.
    ensure_wheels & wheels=$!
    wait "$tools"
    wait "$wheels"
    export LBUILD_IMAGE_SOURCE=${LBUILD_IMAGE_SOURCE:-offline}
    npm test -- "$@"
    # Restarting the Docker engine under a running serve can only be tried with nothing else on
    # the engine: alone, after the suite (the whole suite only, not a chosen file).
    if [ $# -eq 0 ]; then
      LBUILD_TEST_ENGINE_RESTART=1 node_modules/.bin/vitest run test/serial
    fi
    ;;
  *)
    echo "usage: bash scripts/dev.sh example [django] | manage <command> | test" >&2
    exit 1
    ;;
esac
