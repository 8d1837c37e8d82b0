#!/usr/bin/env bash
# Installs and starts everything the test suite needs on a fresh Debian machine with Node 20:
# the npm dependencies; PostgreSQL on 127.0.0.1:5432 (trust auth, database `test`); PowerDNS
# Authoritative with its sqlite3 backend, Knot DNS and dig/nsupdate, which the DNS publishing
# tests run as private servers on random loopback ports (system services of those packages, if
# any start, are not used); Postfix and Dovecot with their SQLite and PostgreSQL lookups, whose
# postconf/doveconf check the mail plane's rendered configuration (Postfix is preseeded to "No
# configuration", so no system-wide mail setup is made), and Dovecot's Lua passdb with LuaSQL
# for both databases, which checks mailbox passwords (src/mailstack/dovecot-lua.ts); OpenDKIM, which signs submitted mail in
# the mail-plane tests; pymilter (python3-milter), which the From check milter runs on; Pebble, the test ACME server the certificate tests issue from on
# loopback; postsrsd, the SRS tables of forwarded mail; iproute2, whose ss(8) doctor and the syslog test read sockets with; Debian's Chromium, which the web console's browser tests drive; sqlite3, certbot, nftables and logrotate, the rest of what deploy/install.sh installs, so its test finds them there. Safe to run again: every step checks
# before it acts.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Installs the Debian packages among "$@" that are not installed yet.
apt_install_missing() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

npm ci --no-audit --no-fund

echo 'postfix postfix/main_mailer_type select No configuration' | as_root debconf-set-selections
apt_install_missing openssl postgresql pdns-server pdns-backend-sqlite3 knot bind9-dnsutils \
  postfix postfix-sqlite postfix-pgsql dovecot-imapd dovecot-lmtpd dovecot-sqlite dovecot-pgsql \
  dovecot-auth-lua lua-sql-sqlite3 lua-sql-postgres gcc libc6-dev \
  opendkim opendkim-tools python3-milter libsasl2-modules postsrsd chromium pebble \
  sqlite3 certbot nftables logrotate iproute2

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
echo "test dependencies ready"
