#!/usr/bin/env bash
# Restart the local Docker engine (for test/serial/engine-restart.test.ts, which checks that a
# running `lbuild serve` recovers). systemd's docker service where there is one; otherwise the
# dockerd that scripts/setup-docker.sh started. Returns once the new engine answers.
set -euo pipefail
if command -v systemctl >/dev/null 2>&1 && systemctl is-active docker >/dev/null 2>&1; then
  systemctl restart docker
else
  pid=$(pgrep -x dockerd | head -1 || true)
  if [ -z "$pid" ]; then
    echo "error: no dockerd process to restart (Docker Desktop or a remote engine?)" >&2
    exit 2
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  setsid dockerd >>/var/log/dockerd.log 2>&1 </dev/null &
fi
for _ in $(seq 1 60); do
  docker info >/dev/null 2>&1 && exit 0
  sleep 0.5
done
echo "error: dockerd did not come back; see /var/log/dockerd.log" >&2
exit 2
