#!/usr/bin/env bash
# Make sure a Docker engine answers, installing and starting one on a bare Debian/Ubuntu machine
# (CI runners and this project's dev machines start without one). Idempotent: quick when ready.
set -euo pipefail

if docker info >/dev/null 2>&1; then exit 0; fi

need_packages=()
command -v dockerd >/dev/null 2>&1 || need_packages+=(docker.io)
command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || need_packages+=(docker-compose)
command -v debootstrap >/dev/null 2>&1 || need_packages+=(debootstrap)
if [ ${#need_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "error: no Docker engine is running and this script can only install one as root on Debian/Ubuntu." >&2
    echo "hint: install Docker (https://docs.docker.com/engine/install/) or start Docker Desktop, then re-run." >&2
    exit 2
  fi
  echo "▸ installing ${need_packages[*]} (apt)" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_packages[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  echo "▸ starting dockerd" >&2
  if command -v systemctl >/dev/null 2>&1 && systemctl is-system-running >/dev/null 2>&1; then
    systemctl start docker
  else
    setsid dockerd >/var/log/dockerd.log 2>&1 < /dev/null &
  fi
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
fi

if ! docker info >/dev/null 2>&1; then
  echo "error: dockerd did not start; see /var/log/dockerd.log" >&2
  tail -20 /var/log/dockerd.log >&2 || true
  exit 2
fi
echo "✓ Docker engine $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')" >&2
