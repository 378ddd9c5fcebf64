#!/usr/bin/env bash
# Cap the CPU of the server that bench.phones starts, to see how the figures hold on a slower
# machine: `bench/slow_server.sh 0.45 & .venv/bin/python -m bench.phones --phones 5000 --spread 5`.
# It waits for the server to start and moves it into a cgroup (v1 `cpu` controller, as root) that
# may use SHARE of one core, in slices of 10 ms.
set -euo pipefail
share=${1:?usage: bench/slow_server.sh SHARE-OF-ONE-CORE, e.g. 0.45}
group=/sys/fs/cgroup/cpu/dialogmote-bench
mkdir -p "$group"
echo 10000 > "$group/cpu.cfs_period_us"
awk -v share="$share" 'BEGIN { printf "%d\n", share * 10000 }' > "$group/cpu.cfs_quota_us"
for _ in $(seq 1 3000); do
  pid=$(pgrep -f "main.py serve" | head -n 1 || true)
  if [ -n "$pid" ]; then
    echo "$pid" > "$group/cgroup.procs"
    echo "server $pid capped at $share of a core"
    exit 0
  fi
  sleep 0.2
done
echo "no server started within 10 minutes" >&2
exit 1
