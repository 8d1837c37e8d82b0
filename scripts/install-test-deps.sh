#!/usr/bin/env bash
# Installs and starts everything the test suite needs on a fresh Debian machine with Node 20:
# the npm dependencies and a PostgreSQL server on 127.0.0.1:5432 (trust auth, database `test`).
# Safe to run again: every step checks before it acts.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

npm ci --no-audit --no-fund

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
cluster_version=$(ls /etc/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
  as_root pg_ctlcluster --skip-systemctl-redirect "$cluster_version" main start
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
# Tests connect as `postgres` over TCP without a password, as on the CI machines.
if ! psql -h 127.0.0.1 -U postgres -d test -Atc 'select 1' >/dev/null 2>&1; then
  as_root su postgres -c "psql -Atc 'create database test'" >/dev/null 2>&1 || true
fi
psql -h 127.0.0.1 -U postgres -d test -Atc 'select 1' >/dev/null
# PowerDNS Authoritative and its sqlite3 backend: test/support/pdns-server.ts runs a private
# pdns_server per test file on random loopback ports (a system pdns service, if any, is unused).
pdns_missing=""
for pkg in pdns-server pdns-backend-sqlite3; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
    pdns_missing="$pdns_missing $pkg"
done
if [ -n "$pdns_missing" ]; then
  as_root apt-get update -qq
  # shellcheck disable=SC2086 # one word per package
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pdns_missing >/dev/null
fi
# Knot DNS and nsupdate/dig: src/dns/providers/rfc2136.ts drives nsupdate and dig, and
# test/support/knot-server.ts runs a private knotd per test file on a random loopback port
# (a system knot service, if the package starts one, is unused).
knot_missing=""
for pkg in knot bind9-dnsutils; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
    knot_missing="$knot_missing $pkg"
done
if [ -n "$knot_missing" ]; then
  as_root apt-get update -qq
  # shellcheck disable=SC2086 # one word per package
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $knot_missing >/dev/null
fi
echo "test dependencies ready"
