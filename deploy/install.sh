#!/usr/bin/env bash
# Run from a checkout (not installed): sudo ./deploy/install.sh --mail-host mx.example.net --admin-email you@example.net
# Installs and starts Mailwright on this host from the checkout it lives in (docs/deployment.md):
# Debian packages, npm ci and the build, system users and directories with the ownership
# OpenDKIM, Postfix and Dovecot accept, the env file (written once, from deploy/env/), the units,
# wrapper, certificate hook and log rotation (from deploy/, on every run), the first account and
# console user, the mail host's certificate (built-in ACME: `mailwright cert issue`; certbot with
# --certbot), and the services: with systemd, or without it as PID 1 (a
# container) by running the units' own command lines. Each step compares before it acts, so a
# second run changes nothing and says so; --dry-run prints every change and makes none.
set -euo pipefail
umask 022

usage() {
  cat <<'EOF'
Usage: install.sh --mail-host HOST --admin-email EMAIL [options]

  --mail-host HOST      the mail host's name (MX target, HELO, certificate); first install only
  --admin-email EMAIL   the first console user, postmaster and ACME contact; first install only
  --account NAME        the first account, which CLI commands act as (default admin)
  --set NAME=VALUE      a line of the env file, e.g. --set MAILWRIGHT_MAIL_LISTEN=203.0.113.10
                        (repeatable; applied on every run)
  --prefix DIR          install under DIR instead of / (a staging or test root): units are
                        written but not given to systemd, the services start as with --no-systemd
  --acme-directory URL  the ACME CA's directory (default Let's Encrypt); a line of the env file
  --acme-ca-file FILE   CA certificates the ACME server's HTTPS is trusted with (a private CA),
                        copied to /etc/mailwright/acme-ca.pem
  --certbot             the mail host's certificate from certbot instead of the built-in ACME
                        client; first install only (the env file's certificate paths say which)
  --no-systemd          start the units' command lines directly (default when PID 1 is not systemd)
  --dry-run             print every change it would make, and make none
EOF
}

MAIL_HOST='' ADMIN_EMAIL='' ACCOUNT='' PREFIX='' DRY_RUN=0 NO_SYSTEMD=0 CERTBOT=0 ACME_CA_SRC=''
SETS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --mail-host) MAIL_HOST=${2:?--mail-host needs a value}; shift 2 ;;
    --admin-email) ADMIN_EMAIL=${2:?--admin-email needs a value}; shift 2 ;;
    --account) ACCOUNT=${2:?--account needs a value}; shift 2 ;;
    --set) SETS+=("${2:?--set needs NAME=VALUE}"); shift 2 ;;
    --prefix) PREFIX=${2:?--prefix needs a directory}; shift 2 ;;
    --acme-directory) SETS+=("MAILWRIGHT_ACME_DIRECTORY_URL=${2:?--acme-directory needs a URL}"); shift 2 ;;
    --acme-ca-file) ACME_CA_SRC=${2:?--acme-ca-file needs a file}; shift 2 ;;
    --certbot) CERTBOT=1; shift ;;
    --no-systemd) NO_SYSTEMD=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done

die() { echo "install.sh: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run it as root (sudo): it installs packages, users and services"
PREFIX=${PREFIX%/}
[ -z "$PREFIX" ] || [[ "$PREFIX" == /* ]] || die "--prefix must be an absolute path"
for s in "${SETS[@]}"; do
  [[ "$s" =~ ^MAILWRIGHT_[A-Z0-9_]+=[^\'$'\n']*$ ]] || die "--set takes MAILWRIGHT_NAME=VALUE without quotes: $s"
done

# The code is this checkout, under the path it was reached by: a symlinked install directory
# stays the link, so a release switch is a new link and a re-run.
CODE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEPLOY=$CODE/deploy
NODE=$(command -v node) || die "Node.js 20.19 or later is needed first (docs/deployment.md)"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
  die "Node.js $(node -v) is too old: 20.19 or later is needed"

ETC=$PREFIX/etc/mailwright
ENV_FILE=$ETC/mailwright.env
if [ -n "$ACME_CA_SRC" ]; then
  [ -f "$ACME_CA_SRC" ] || die "--acme-ca-file: no file $ACME_CA_SRC"
  # A copy the API (user mailwright) can read when it renews.
  SETS+=("MAILWRIGHT_ACME_CA_FILE=$ETC/acme-ca.pem")
fi
WRAPPER=$PREFIX/usr/local/bin/mailwright
UNIT_DIR=$PREFIX/etc/systemd/system
RUN_DIR=$PREFIX/run/mailwright
LOG_DIR=$PREFIX/var/log/mailwright
BACKUP_DIR=$PREFIX/var/backups/mailwright
# Every unit of deploy/systemd is installed; those with an [Install] section are enabled.
mapfile -t UNITS < <(cd "$DEPLOY/systemd" && ls)
mapfile -t ENABLED < <(cd "$DEPLOY/systemd" && grep -l '^WantedBy=' -- *)
# gcc and libc6-dev build the library Dovecot's auth workers preload (docs/mail-plane.md, "Logins").
# iproute2: ss(8), which `mailwright doctor` reads listening ports with.
PACKAGES=(openssl postfix postfix-sqlite postfix-pgsql dovecot-imapd dovecot-lmtpd dovecot-sqlite
  dovecot-pgsql dovecot-auth-lua lua-sql-sqlite3 lua-sql-postgres opendkim opendkim-tools
  python3-milter postsrsd sqlite3 certbot nftables logrotate gcc libc6-dev iproute2)

USE_SYSTEMD=1
if [ -n "$PREFIX" ] || [ "$NO_SYSTEMD" = 1 ] || [ ! -d /run/systemd/system ]; then USE_SYSTEMD=0; fi

CHANGES=0
RESTART=0 # the code, the units or the env file changed: running services restart
change() {
  CHANGES=$((CHANGES + 1))
  if [ "$DRY_RUN" = 1 ]; then echo "would: $*"; else echo "✔ $*"; fi
}
doing() { [ "$DRY_RUN" = 0 ]; }

# --- packages --------------------------------------------------------------------------------
missing=()
for pkg in "${PACKAGES[@]}"; do
  [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" == *'install ok installed' ]] || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  change "install Debian packages: ${missing[*]}"
  if doing; then
    # Postfix must make no system-wide configuration: port 25 is the private instance's.
    echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
if [ "$USE_SYSTEMD" = 1 ]; then
  # The packages start system-wide daemons; Mailwright runs private instances on their ports.
  for svc in postfix.service dovecot.service dovecot.socket opendkim.service; do
    if systemctl -q is-enabled "$svc" 2>/dev/null || systemctl -q is-active "$svc" 2>/dev/null; then
      change "stop and disable the system-wide $svc"
      doing && systemctl disable --now -q "$svc"
    fi
  done
fi

# --- code --------------------------------------------------------------------------------------
# Stamps record what was installed and built, so an unchanged checkout is not rebuilt.
source_sum() {
  (cd "$CODE" && find src web package.json package-lock.json tsconfig.json -path web/dist -prune \
    -o -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}
lock_sum=$(sha256sum "$CODE/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$CODE/node_modules/.mailwright-lock" 2>/dev/null)" != "$lock_sum" ]; then
  change "npm ci in $CODE (installs the dependencies, then builds)"
  RESTART=1
  if doing; then
    (cd "$CODE" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$lock_sum" >"$CODE/node_modules/.mailwright-lock"
    source_sum >"$CODE/dist/.mailwright-build"
  fi
elif [ "$(cat "$CODE/dist/.mailwright-build" 2>/dev/null)" != "$(source_sum)" ]; then
  change "build $CODE (npm run build)"
  RESTART=1
  if doing; then
    (cd "$CODE" && npm run build --silent >/dev/null)
    source_sum >"$CODE/dist/.mailwright-build"
  fi
fi

# --- users -------------------------------------------------------------------------------------
if ! getent group mailwright >/dev/null; then
  change "create the system group mailwright"
  doing && groupadd --system mailwright
fi
if ! getent passwd mailwright >/dev/null; then
  change "create the system user mailwright (runs the API)"
  doing && useradd --system --gid mailwright --home-dir /nonexistent --no-create-home \
    --shell /usr/sbin/nologin mailwright
fi
if ! getent group mailwright-vmail >/dev/null; then
  change "create the system group mailwright-vmail"
  doing && groupadd --system mailwright-vmail
fi
if ! getent passwd mailwright-vmail >/dev/null; then
  change "create the system user mailwright-vmail (owns the maildirs)"
  doing && useradd --system --gid mailwright-vmail --home-dir /nonexistent --no-create-home \
    --shell /usr/sbin/nologin mailwright-vmail
fi

# --- files -------------------------------------------------------------------------------------
# ensure_dir PATH OWNER:GROUP MODE: creates it, or sets owner and mode that differ.
declare -A PLANNED # directories a dry run would have created
ensure_dir() {
  local path=$1 owner=$2 mode=$3
  [ -z "${PLANNED[$path]:-}" ] || return 0
  if [ ! -d "$path" ]; then
    change "create $path ($owner $mode)"
    PLANNED[$path]=1
    doing && install -d -o "${owner%:*}" -g "${owner#*:}" -m "$mode" "$path"
    return 0
  fi
  if [ "$(stat -c '%U:%G %04a' "$path")" != "$owner $mode" ]; then
    change "set $path to $owner $mode (was $(stat -c '%U:%G %04a' "$path"))"
    doing && chown "$owner" "$path" && chmod "$mode" "$path"
  fi
  return 0
}
# Parents created root's and 0755, as OpenDKIM requires above its keys; existing ones are left.
ensure_parents() {
  local dir
  dir=$(dirname "$1")
  [ -d "$dir" ] || [ -n "${PLANNED[$dir]:-}" ] && return 0
  ensure_parents "$dir"
  ensure_dir "$dir" root:root 0755
}
# put_file PATH OWNER:GROUP MODE CONTENT: writes it when content, owner or mode differ.
put_file() {
  local path=$1 owner=$2 mode=$3 content=$4
  if [ -f "$path" ] && [ "$(cat "$path")" = "$content" ] &&
    [ "$(stat -c '%U:%G %04a' "$path")" = "$owner $mode" ]; then
    return 1
  fi
  ensure_parents "$path"
  change "write $path ($owner $mode)"
  if doing; then
    local tmp
    tmp=$(mktemp "$(dirname "$path")/.install.XXXXXX")
    printf '%s\n' "$content" >"$tmp"
    chown "$owner" "$tmp" && chmod "$mode" "$tmp" && mv -f "$tmp" "$path"
  fi
  return 0
}
# replace TEXT FROM TO…: literal replacements, all at once (a TO may contain a later FROM, as a
# prefix under /var/lib/mailwright… does), with no pattern characters for sed to misread.
replace() {
  local text=$1 i=0
  local -a to=()
  shift
  while [ $# -gt 0 ]; do
    text=${text//"$1"/$'\x01'$i$'\x02'}
    to+=("$2")
    i=$((i + 1))
    shift 2
  done
  for i in "${!to[@]}"; do text=${text//$'\x01'$i$'\x02'/"${to[$i]}"}; done
  printf '%s' "$text"
}
# env_value NAME FILE: the value of NAME=… (unquoted as sh would) in an env file.
env_value() { (set -a && . "$2" && eval "printf '%s' \"\${$1:-}\""); }

# The env file: written once from the template, then the operator's. Only --set changes it.
ensure_parents "$ETC"
ensure_dir "$ETC" root:mailwright 0750
if [ -f "$ENV_FILE" ]; then
  env_text=$(cat "$ENV_FILE")
  existing_host=$(env_value MAILWRIGHT_MAIL_HOST "$ENV_FILE")
  [ -z "$MAIL_HOST" ] || [ "$MAIL_HOST" = "$existing_host" ] ||
    die "$ENV_FILE says MAILWRIGHT_MAIL_HOST=$existing_host; change it there (and its certificate paths), not with --mail-host"
else
  [ -n "$MAIL_HOST" ] || die "--mail-host is needed for the first install (e.g. mx.example.net)"
  [ -n "$ADMIN_EMAIL" ] || die "--admin-email is needed for the first install (e.g. you@example.net)"
  [[ "$MAIL_HOST" =~ ^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$ ]] ||
    die "--mail-host must be a fully qualified host name, e.g. mx.example.net"
  [[ "$ADMIN_EMAIL" =~ ^[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+$ ]] || die "--admin-email must be a plain address"
  # The addresses of the default routes (a lookup in the routing table; nothing is sent).
  listen=$( (ip -o -4 route get 192.0.2.1 2>/dev/null; ip -o -6 route get 2001:db8::1 2>/dev/null) |
    sed -n 's/.* src \([^ ]*\).*/\1/p' | paste -sd, -)
  # The certificate's files: the built-in ACME client's store under the data dir, or certbot's.
  cert_dir=$PREFIX/var/lib/mailwright/certs/$MAIL_HOST/
  [ "$CERTBOT" = 0 ] || cert_dir=$PREFIX/etc/letsencrypt/live/$MAIL_HOST/
  env_text=$(replace "$(cat "$DEPLOY/env/mailwright.env")" \
    /etc/letsencrypt/live/mx.example.net/ "$cert_dir" \
    /etc/letsencrypt/ "$PREFIX/etc/letsencrypt/" \
    mx.example.net "$MAIL_HOST" \
    hostmaster@example.net "$ADMIN_EMAIL" \
    dmarc@example.net "$ADMIN_EMAIL" \
    /var/lib/mailwright "$PREFIX/var/lib/mailwright" \
    /etc/mailwright/ "$PREFIX/etc/mailwright/")
  env_text=$(printf '%s\n' "$env_text" | sed \
    -e "s/^MAILWRIGHT_ACCOUNT=.*/MAILWRIGHT_ACCOUNT=${ACCOUNT:-admin}/" \
    -e "s/^MAILWRIGHT_MAIL_LISTEN=.*/MAILWRIGHT_MAIL_LISTEN=${listen}/" \
    -e "s/^# *MAILWRIGHT_ACME_EMAIL=.*/MAILWRIGHT_ACME_EMAIL=${ADMIN_EMAIL}/")
  # Port 80 answers the CA's challenges: for `cert issue` here, then for the server's renewals.
  [ "$CERTBOT" = 1 ] || env_text=$(printf '%s\n' "$env_text" | sed -e 's/^# *\(MAILWRIGHT_HTTP_LISTEN=\)/\1/')
fi
# Here-strings, not `printf | grep -q`: grep -q leaves at the first match, and under pipefail
# printf's write into the closed pipe (SIGPIPE) fails the test now and then, which appended the
# line a second time and made a re-run rewrite an unchanged env file.
for s in "${SETS[@]}"; do
  name=${s%%=*}
  if grep -q "^${name}=" <<<"$env_text"; then
    env_text=$(printf '%s\n' "$env_text" | NAME=$name LINE=$s awk '
      index($0, ENVIRON["NAME"] "=") == 1 { print ENVIRON["LINE"]; next } { print }')
  elif grep -q "^# *${name}=" <<<"$env_text"; then
    env_text=$(printf '%s\n' "$env_text" | NAME=$name LINE=$s awk '
      !done && $0 ~ "^# *" ENVIRON["NAME"] "=" { print ENVIRON["LINE"]; done = 1; next } { print }')
  else
    env_text=$(printf '%s\n%s' "$env_text" "$s")
  fi
done
if put_file "$ENV_FILE" root:mailwright 0640 "$env_text"; then RESTART=1; fi

# Everything below reads the env file as the services will (in a dry run: as it would be).
ENV_VIEW=$(mktemp)
trap 'rm -f "$ENV_VIEW"' EXIT
printf '%s\n' "$env_text" >"$ENV_VIEW"
value() { env_value "$1" "$ENV_VIEW"; }
MAIL_HOST=$(value MAILWRIGHT_MAIL_HOST)
[ -n "$(value MAILWRIGHT_MAIL_LISTEN)" ] ||
  die "no address to listen on was found: add --set MAILWRIGHT_MAIL_LISTEN=<the host's public addresses>"
DATA=$(value MAILWRIGHT_DATA_DIR)
DB_URL=$(value MAILWRIGHT_DATABASE_URL)
CERT=$(value MAILWRIGHT_MAIL_TLS_CERT)
KEY=$(value MAILWRIGHT_MAIL_TLS_KEY)
ACCOUNT=$(value MAILWRIGHT_ACCOUNT)
: "${ADMIN_EMAIL:=$(value MAILWRIGHT_POSTMASTER)}"
# The built-in ACME client's store holds the certificate the env file names: the API reads and
# renews those files itself (no copies), and `mailwright cert issue` obtains the first one.
ACME_CERT=0
[ "$CERT" != "$DATA/certs/$MAIL_HOST/fullchain.pem" ] || ACME_CERT=1

ensure_parents "$DATA"
ensure_dir "$DATA" mailwright:mailwright 0751
# The DKIM keys' directory is created by `mailstack up`; its parents must be root's (OpenDKIM).
dkim_dir=$(value MAILWRIGHT_DKIM_KEYS_DIR)
ensure_parents "${dkim_dir:-$DATA-dkim}"
if [[ "$DB_URL" == sqlite:* ]]; then
  # Shared with Postfix's primary group: its readers write SQLite's -shm and -wal files.
  ensure_dir "$(dirname "${DB_URL#sqlite:}")" mailwright:postfix 2770
fi
ensure_parents "$BACKUP_DIR"
ensure_dir "$BACKUP_DIR" root:root 0700

# The files of deploy/, with this host's paths: the checkout, node, the prefix, the certificate.
render() {
  local text
  text=$(cat "$DEPLOY/$1")
  if [ "$ACME_CERT" = 1 ]; then
    text=$(printf '%s\n' "$text" | grep -v '^LoadCredential=tls\.' |
      sed 's|^Environment=MAILWRIGHT_TLS_CERT=%d/tls\.crt MAILWRIGHT_TLS_KEY=%d/tls\.key$|Environment=MAILWRIGHT_TLS_CERT=/etc/letsencrypt/live/mx.example.net/fullchain.pem MAILWRIGHT_TLS_KEY=/etc/letsencrypt/live/mx.example.net/privkey.pem|')
  fi
  replace "$text" \
    /etc/letsencrypt/live/mx.example.net/fullchain.pem "$CERT" \
    /etc/letsencrypt/live/mx.example.net/privkey.pem "$KEY" \
    /opt/mailwright "$CODE" \
    /usr/bin/node "$NODE" \
    /etc/mailwright/mailwright.env "$ENV_FILE" \
    /var/lib/mailwright "$DATA"
}
put_file "$WRAPPER" root:root 0755 "$(render bin/mailwright)" || true
UNITS_CHANGED=0
for unit in "${UNITS[@]}"; do
  if put_file "$UNIT_DIR/$unit" root:root 0644 "$(render "systemd/$unit")"; then UNITS_CHANGED=1; fi
done
[ "$UNITS_CHANGED" = 0 ] || RESTART=1
put_file "$PREFIX/etc/logrotate.d/mailwright" root:root 0644 "$(render logrotate/mailwright)" || true
put_file "$PREFIX/etc/letsencrypt/renewal-hooks/deploy/mailwright" root:root 0755 \
  "$(render certbot/mailwright)" || true
put_file "$PREFIX/etc/nftables.d/mailwright.nft" root:root 0644 "$(render nftables/mailwright.nft)" || true
if [ -n "$ACME_CA_SRC" ]; then
  if put_file "$ETC/acme-ca.pem" root:mailwright 0640 "$(cat "$ACME_CA_SRC")"; then RESTART=1; fi
fi

# --- certificate (certbot) ----------------------------------------------------------------------
if [ -n "$CERT" ] && [[ "$CERT" == "$PREFIX/etc/letsencrypt/live/"* ]] && { [ ! -f "$CERT" ] || [ ! -f "$KEY" ]; }; then
  # certbot's standalone server answers the HTTP-01 challenge on port 80 for the mail host.
  change "obtain a certificate for $MAIL_HOST with certbot (port 80 must reach this host)"
  if doing; then
    certbot certonly --standalone --non-interactive --agree-tos -m "$ADMIN_EMAIL" \
      --cert-name "$MAIL_HOST" -d "$MAIL_HOST"
    RESTART=1
  fi
fi

# --- first account and console user -----------------------------------------------------------
as_mailwright() { setpriv --reuid mailwright --regid mailwright --init-groups "$WRAPPER" "$@"; }
if doing; then
  # Run as mailwright, before the API starts: the first CLI run creates the database and
  # secret.key, which must be the API's.
  users=$(as_mailwright --json user list 2>/dev/null) || users=''
  if [ -z "$users" ]; then
    change "create the account $ACCOUNT (its API token is shown once, below)"
    as_mailwright account create "$ACCOUNT"
    users='{"items":[]}'
  fi
  if ! printf '%s' "$users" | EMAIL=$ADMIN_EMAIL node -e '
      const items = JSON.parse(require("fs").readFileSync(0, "utf8")).items;
      process.exit(items.some((u) => u.email === process.env.EMAIL.toLowerCase()) ? 0 : 1)'; then
    change "create the console user $ADMIN_EMAIL (its password is shown once, below)"
    as_mailwright user create --email "$ADMIN_EMAIL" --generate
  fi
else
  db_file=${DB_URL#sqlite:}
  if [[ "$DB_URL" != sqlite:* ]]; then
    echo "would: create the account $ACCOUNT and the console user $ADMIN_EMAIL, if missing"
  elif [ ! -f "$db_file" ] ||
    [ -z "$(sqlite3 -readonly "$db_file" "select 1 from accounts where name = '$ACCOUNT'" 2>/dev/null)" ]; then
    change "create the account $ACCOUNT and the console user $ADMIN_EMAIL"
  elif [ -z "$(sqlite3 -readonly "$db_file" "select 1 from users where email = lower('$ADMIN_EMAIL')")" ]; then
    change "create the console user $ADMIN_EMAIL"
  fi
fi

# --- certificate (built-in ACME) ---------------------------------------------------------------
# After the first CLI run above (the database is the API's). Missing or expired only: renewing
# one that is due is the timer's (cert renew) and the server's, so a re-run issues nothing.
if [ "$ACME_CERT" = 1 ] && { [ ! -f "$CERT" ] || [ ! -f "$KEY" ] ||
  ! openssl x509 -checkend 0 -noout -in "$CERT" >/dev/null 2>&1; }; then
  change "obtain a certificate for $MAIL_HOST from $(value MAILWRIGHT_ACME_DIRECTORY_URL | grep . ||
    echo "Let's Encrypt") (mailwright cert issue; the CA checks $(value MAILWRIGHT_HTTP_LISTEN | grep . ||
    echo 'MAILWRIGHT_HTTP_LISTEN, unset:') over HTTP)"
  if doing; then
    "$WRAPPER" cert issue
    RESTART=1
  fi
fi

# --- services ----------------------------------------------------------------------------------
# A unit's Key= values, as installed (a dry run: as it would be).
unit_values() { render "systemd/$1" | sed -n "s/^$2=//p"; }
mailstack_running() {
  "$WRAPPER" mailstack status --json 2>/dev/null | node -e '
    const s = JSON.parse(require("fs").readFileSync(0, "utf8"));
    process.exit(["postfix", "dovecot", "opendkim"].every((k) => s[k].running) ? 0 : 1)'
}

if [ "$USE_SYSTEMD" = 1 ]; then
  if [ "$UNITS_CHANGED" = 1 ]; then doing && systemctl daemon-reload; fi
  for unit in "${ENABLED[@]}"; do
    if ! systemctl -q is-enabled "$unit" 2>/dev/null; then
      change "enable $unit"
      doing && systemctl enable -q "$unit"
    fi
  done
  for unit in "${ENABLED[@]}"; do
    if ! systemctl -q is-active "$unit"; then
      change "start $unit"
      doing && systemctl start "$unit"
    elif [ "$RESTART" = 1 ] && [[ "$unit" == *.service ]]; then
      change "restart $unit (new code or configuration)"
      doing && systemctl restart "$unit"
    fi
  done
else
  # No systemd as PID 1: the units' own command lines, as systemd would run them. No timers
  # and no supervision here; see the notes printed at the end.
  API_PID=$RUN_DIR/mailwright.pid
  api_running() { [ -f "$API_PID" ] && kill -0 "$(cat "$API_PID")" 2>/dev/null; }
  start_api() {
    install -d -m 0755 "$RUN_DIR" && install -d -o root -g root -m 0750 "$LOG_DIR"
    # LoadCredential=: copies only the service's user can read, at each start; %d names them.
    local creds=$RUN_DIR/credentials line
    install -d -o mailwright -g mailwright -m 0700 "$creds"
    while IFS= read -r line; do
      [ -n "$line" ] && install -o mailwright -g mailwright -m 0400 "${line#*:}" "$creds/${line%%:*}"
    done < <(unit_values mailwright.service LoadCredential)
    local extra exec_start
    extra=$(unit_values mailwright.service Environment | sed "s|%d|$creds|g")
    exec_start=$(unit_values mailwright.service ExecStart)
    # shellcheck disable=SC2086 # the unit's words, split as systemd splits them
    setsid setpriv --reuid mailwright --regid mailwright --init-groups \
      env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin $(grep -E '^MAILWRIGHT_[A-Z0-9_]+=' "$ENV_FILE" | tr -d "'") \
      $extra $exec_start >>"$LOG_DIR/mailwright.log" 2>&1 </dev/null &
    echo $! >"$API_PID"
    local address port
    address=$(value MAILWRIGHT_LISTEN)
    port=${address##*:}
    address=${address%:*}
    address=${address#[}
    address=${address%]}
    [ "$address" != '::' ] && [ "$address" != 0.0.0.0 ] || address=127.0.0.1
    for _ in $(seq 1 60); do
      api_running || die "the API stopped at start; see $LOG_DIR/mailwright.log"
      (exec 3<>"/dev/tcp/$address/$port") 2>/dev/null && return 0
      sleep 0.5
    done
    die "the API does not answer on $address:$port; see $LOG_DIR/mailwright.log"
  }
  run_unit_line() {
    local words
    words=$(unit_values mailwright-mailstack.service "$1")
    # shellcheck disable=SC2086
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin $(grep -E '^MAILWRIGHT_[A-Z0-9_]+=' "$ENV_FILE" | tr -d "'") \
      $words
  }
  if ! api_running; then
    change "start the API: $(unit_values mailwright.service ExecStart)"
    doing && start_api
  elif [ "$RESTART" = 1 ]; then
    change "restart the API (new code or configuration)"
    if doing; then
      kill "$(cat "$API_PID")"
      while api_running; do sleep 0.2; done
      start_api
    fi
  fi
  if [ "$DRY_RUN" = 1 ] && ! [ -x "$WRAPPER" ]; then
    change "start the mail plane: $(unit_values mailwright-mailstack.service ExecStart)"
  elif ! mailstack_running; then
    change "start the mail plane: $(unit_values mailwright-mailstack.service ExecStart)"
    doing && run_unit_line ExecStart
  elif [ "$RESTART" = 1 ]; then
    change "restart the mail plane (new code or configuration)"
    doing && run_unit_line ExecStop && run_unit_line ExecStart
  fi
fi

if [ "$CHANGES" = 0 ]; then
  echo "Nothing to change: Mailwright in $CODE is installed and running as configured in $ENV_FILE."
elif [ "$DRY_RUN" = 1 ]; then
  echo "Dry run: $CHANGES change(s) listed above, none made."
else
  echo "Done: $CHANGES change(s). Configuration: $ENV_FILE; check the host with: mailwright doctor"
  if [ "$USE_SYSTEMD" = 0 ]; then
    echo "Without systemd, nothing restarts a stopped service and no timer runs: schedule"
    echo "  $(unit_values mailwright-mailstack-sync.service ExecStart)   (every 5 minutes, DKIM keys)"
    echo "  $(unit_values mailwright-cert-renew.service ExecStart)   (daily, as root, certificates)"
    echo "  $(unit_values mailwright-postfix-logrotate.service ExecStart | paste -sd';' -)   (daily)"
    echo "with the environment of $ENV_FILE, and run this installer again after a restart."
  fi
fi
