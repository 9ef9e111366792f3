#!/usr/bin/env bash
# Makes sure a local PostgreSQL server is installed, running and reachable over TCP with the
# password `postgres`, then prints the admin URL for the tests. Installs it from Debian when
# missing. Exits non-zero with a clear message when that is impossible.
set -euo pipefail

log() { printf '\033[1;34m[postgres]\033[0m %s\n' "$*" >&2; }
URL="postgres://postgres:postgres@127.0.0.1:5432/postgres"

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing PostgreSQL from Debian"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

cluster="$(pg_lsclusters --no-header 2>/dev/null | head -n1 || true)"
if [ -z "$cluster" ]; then
  version="$(ls /usr/lib/postgresql | sort -V | tail -n1)"
  log "creating cluster $version/main"
  pg_createcluster "$version" main >&2
  cluster="$(pg_lsclusters --no-header | head -n1)"
fi
read -r version name port status _ <<<"$cluster"
if [ "$status" != "online" ]; then
  log "starting cluster $version/$name"
  pg_ctlcluster "$version" "$name" start >&2
fi
if [ "$port" != "5432" ]; then
  URL="postgres://postgres:postgres@127.0.0.1:$port/postgres"
fi

for _ in $(seq 1 30); do
  if su postgres -c "psql -qtAc 'SELECT 1'" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
echo "$URL"
