import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { AUTH_CACHE_TTL_SECONDS } from '../core/auth-cache.js';
import { MESSAGE_SIZE_LIMIT } from '../core/message-size.js';
import { fromCheckPaths, renderFromCheck } from './from-check.js';
import { renderSyslogCatcher } from './syslog-catcher.js';
import { mailboxPassdbFile, renderMailboxPassdb } from './dovecot-lua.js';
import { argon2MemoryFile } from './argon2-memory.js';
import { opendkimPaths, renderOpendkimConf } from './opendkim.js';
import {
  relayLoginTable,
  relayTlsTable,
  renderRelayLogins,
  type RelayLogins,
} from './relay-login.js';
import {
  APP_PASSWORD_FIELD,
  dovecotQueries,
  postfixQueries,
  QUOTA_CHECK_CLASS,
  type QueryTarget,
} from './queries.js';
import type { RenderedFile } from './rendered-file.js';
import type { MailPlaneSettings } from './settings.js';

const HEADER =
  '# Rendered by Mailwright (src/mailstack/render.ts); changes here are overwritten.\n';
// Files holding a database password are for their server's group only.
const SECRET_MODE = 0o640;
const PUBLIC_MODE = 0o644;

/** Sockets the servers share. Postfix's end lives in its queue's `private/`, as is customary. */
export function socketPaths(s: MailPlaneSettings) {
  return {
    lmtp: s.ports.lmtp,
    auth: join(s.dirs.queue, 'private', 'dovecot-auth'),
    quotaStatus: join(s.dirs.queue, 'private', 'dovecot-quota-status'),
    dkim: opendkimPaths(s).socket,
    /** The milter refusing a From header that is not the login's (`from-check.ts`). */
    fromCheck: fromCheckPaths(s).socket,
    /** Mailwright's sending-limit policy service (`mailwright mailstack policy-server`). */
    policy: join(policyDir(s), 'policy.sock'),
    /** The same service's end for Dovecot's quota warnings (`quota-warnings.ts`). */
    quotaWarnings: join(quotaWarningsDir(s), 'quota-warnings.sock'),
  };
}

/** The policy service's socket and pid file: group `postfix`, setgid, closed to others. */
export const policyDir = (s: MailPlaneSettings): string => join(s.dirs.run, 'policy');

/**
 * The policy service's socket for quota warnings: the mail account's group, setgid, closed to
 * others. Dovecot connects as the mail account, from the process that saved or expunged.
 */
export const quotaWarningsDir = (s: MailPlaneSettings): string =>
  join(s.dirs.run, 'quota-warnings');

/** What Dovecot's queries need of the settings (queries.ts `DovecotPaths`). */
const dovecotPaths = (s: MailPlaneSettings) => ({
  mailRoot: s.dirs.mail,
  quotaWarnings: socketPaths(s).quotaWarnings,
});

/** What Postfix answers when a policy service cannot be asked: try later, never accept unchecked. */
export const POLICY_UNAVAILABLE = '451 4.3.5 Policy service unavailable; try again later';

export const postfixDir = (s: MailPlaneSettings): string => join(s.dirs.config, 'postfix');
export const dovecotConfigFile = (s: MailPlaneSettings): string =>
  join(s.dirs.config, 'dovecot', 'dovecot.conf');

const target = (s: MailPlaneSettings): QueryTarget =>
  s.dialect === 'postgres' && s.database.schema
    ? { dialect: s.dialect, schema: s.database.schema }
    : { dialect: s.dialect };

const secretMode = (s: MailPlaneSettings): number =>
  s.dialect === 'postgres' && s.database.password !== undefined ? SECRET_MODE : PUBLIC_MODE;

/** The Postfix lookup tables, one per view (`sqlite:…`, or `proxy:pgsql:…` through proxymap). */
export function renderPostfixTables(s: MailPlaneSettings): RenderedFile[] {
  const q = postfixQueries(target(s), s.postmaster);
  const connection =
    s.dialect === 'sqlite'
      ? `dbpath = ${s.database.path}\n`
      : [
          `hosts = inet:${s.database.host}:${s.database.port}`,
          `dbname = ${s.database.dbname}`,
          `user = ${s.database.user}`,
          ...(s.database.password !== undefined ? [`password = ${s.database.password}`] : []),
        ].join('\n') + '\n';
  const table = (name: string, what: string, query: string): RenderedFile => ({
    path: `postfix/${name}.cf`,
    content: `${HEADER}# ${what}\n${connection}query = ${query}\n`,
    mode: secretMode(s),
    group: s.users.databaseGroup,
  });
  return [
    table('mail_domains', 'virtual_mailbox_domains: verified hostnames', q.virtualMailboxDomains),
    table('mail_users', 'virtual_mailbox_maps: active mailboxes', q.virtualMailboxMaps),
    table('mail_senders', 'smtpd_sender_login_maps: who may send as whom', q.senderLoginMaps),
    table('mail_aliases', 'virtual_alias_maps: aliases, catch-alls, forwards', q.virtualAliasMaps),
    ...(q.roleAliasMaps
      ? [table('mail_roles', 'virtual_alias_maps: postmaster@ and abuse@', q.roleAliasMaps)]
      : []),
    table(
      'mail_own_senders',
      'sender_canonical_maps: senders SRS leaves as they are',
      q.ownSenderMaps,
    ),
    table(
      'mail_relays',
      "sender_dependent_relayhost_maps: a domain's own relay",
      q.senderRelayMaps,
    ),
    table(
      'mail_recipient_access',
      'check_recipient_access: listed recipients, and the mailboxes one message could overfill',
      q.recipientAccessMaps,
    ),
  ];
}

/** A lookup table as `postmap -q` names it (`sqlite:…/mail_senders.cf`). */
export function directTable(s: MailPlaneSettings, name: string): string {
  const type = s.dialect === 'sqlite' ? 'sqlite' : 'pgsql';
  return `${type}:${join(postfixDir(s), `${name}.cf`)}`;
}

/**
 * How main.cf names a table. PostgreSQL's go through proxymap, which keeps the connections. A
 * SQLite table is opened by each Postfix process that asks (smtpd, cleanup, trivial-rewrite),
 * unchrooted and as the same `postfix` account proxymap would read it as: a lookup is then a call
 * into SQLite in the process, not a round trip to proxymap (four per message received).
 */
const lookupTable = (s: MailPlaneSettings, name: string): string =>
  s.dialect === 'sqlite' ? directTable(s, name) : `proxy:${directTable(s, name)}`;

/**
 * `virtual_mailbox_domains` is opened by trivial-rewrite alone: smtpd and qmgr ask it to resolve
 * each recipient, one long-lived process serving them all as proxymap does. It opens the table
 * itself on both dialects, so on PostgreSQL it keeps its own connection (one per trivial-rewrite
 * process, as proxymap keeps one per table) and a resolve waits on one hop, not on proxymap and
 * then PostgreSQL (docs/mail-plane.md, "Measured").
 */
const domainTable = (s: MailPlaneSettings): string => directTable(s, 'mail_domains');

/**
 * An in-line regexp table (Postfix 3.7) mapping each address at the mail host to itself; `$$` is
 * main.cf's escape for the regexp's `$` and the `${1}` of its result.
 */
const mailHostSenders = (s: MailPlaneSettings): string =>
  `regexp:{{/^(.+@${s.mailHost.replace(/\./g, '\\.')})$$/ $\${1}}}`;

/**
 * An access table asked with whole addresses only. smtpd asks `check_recipient_access` tables
 * for the address, its domain and parent domains, and `user@`; the query finds nothing
 * for those, but through proxymap each would still be a round trip. The regexp, in smtpd, passes
 * on an address and nothing else (pipemap stops at the first table that finds nothing).
 */
const addressesOnly = (table: string): string =>
  `pipemap:{regexp:{{/^([^@]+@[^@]+)$$/ $\${1}}}, ${table}}`;

/** main.cf of a private Postfix instance (`postfix -c <config>/postfix`). */
export function renderPostfixMainCf(s: MailPlaneSettings): RenderedFile {
  const sockets = socketPaths(s);
  const tls = s.tls
    ? [
        `smtpd_tls_cert_file = ${s.tls.certFile}`,
        `smtpd_tls_key_file = ${s.tls.keyFile}`,
        'smtpd_tls_security_level = may',
        // Relays with a login are reached over TLS only (smtp_tls_policy_maps, above).
        'smtp_tls_security_level = may',
      ]
    : ['# No certificate configured: nothing is encrypted (private test instances only).'];
  const lines = [
    'compatibility_level = 3.6',
    '',
    '# A private instance: its own queue, state and log, nothing shared with a system Postfix.',
    `queue_directory = ${s.dirs.queue}`,
    `data_directory = ${join(s.dirs.state, 'postfix')}`,
    `mail_owner = ${s.users.postfix}`,
    `maillog_file = ${join(s.dirs.log, 'postfix.log')}`,
    `maillog_file_prefixes = ${s.dirs.log}`,
    'syslog_name = postfix-mailwright',
    `inet_interfaces = ${s.listen}`,
    'inet_protocols = all',
    `myhostname = ${s.mailHost}`,
    'myorigin = $myhostname',
    '',
    '# No local delivery: every hostname Mailwright serves is a virtual mailbox domain.',
    'mydestination =',
    'local_recipient_maps =',
    'local_transport = error:5.1.1 local delivery is disabled',
    'alias_maps =',
    'alias_database =',
    'relay_domains =',
    'mynetworks = 127.0.0.0/8 [::1]/128',
    ...(s.relayHost
      ? [
          '# Every outbound message goes through this relay (many clouds block port 25)...',
          `relayhost = ${s.relayHost}`,
        ]
      : []),
    "# ...unless the sender's hostname has a relay of its own (its domain's relayHost, or its",
    "# root's): then that one. A null sender (bounces) and other hostnames' senders go as above.",
    `sender_dependent_relayhost_maps = ${lookupTable(s, 'mail_relays')}`,
    ...(s.relayPasswordFile
      ? [
          "# The relays' logins (MAILWRIGHT_RELAY_PASSWORD_FILE, one per [host]:port), in root's",
          '# 0600 copy, found by the relay Postfix connects to: each relay only ever gets its own.',
          '# (smtp_sender_dependent_authentication stays off: it would look logins up by sender',
          '# first, which these tables never key by, and only turn off connection reuse.)',
          'smtp_sasl_auth_enable = yes',
          `smtp_sasl_password_maps = ${relayLoginTable(s)}`,
          '# A relay with a login is reached with STARTTLS or not at all, and PLAIN and LOGIN are',
          '# never offered in clear anyway: the password never crosses the network readable.',
          `smtp_tls_policy_maps = ${relayTlsTable(s)}`,
          'smtp_sasl_security_options = noplaintext, noanonymous',
          'smtp_sasl_tls_security_options = noanonymous',
        ]
      : []),
    '',
    '# PostgreSQL lookups through proxymap, which pools the connections; SQLite ones in process.',
    '# The domains are asked by trivial-rewrite alone, which keeps its own connection.',
    `virtual_mailbox_domains = ${domainTable(s)}`,
    `virtual_mailbox_maps = ${lookupTable(s, 'mail_users')}`,
    `smtpd_sender_login_maps = ${lookupTable(s, 'mail_senders')}`,
    '# Aliases, catch-alls and forwards; then postmaster@ and abuse@ of every hostname, unless a',
    '# mailbox or alias has that name (RFC 2142). Without MAILWRIGHT_POSTMASTER, no role aliases.',
    `virtual_alias_maps = ${[
      lookupTable(s, 'mail_aliases'),
      ...(s.postmaster ? [lookupTable(s, 'mail_roles')] : []),
    ].join(', ')}`,
    '# Not the default ($virtual_alias_maps): every hostname is a mailbox domain. The mail host',
    '# itself takes only SRS addresses (bounces of forwarded mail), which the reverse table answers.',
    `virtual_alias_domains = ${s.mailHost}`,
    `virtual_transport = lmtp:unix:${sockets.lmtp}`,
    '',
    "# SRS (postsrsd, docs/mail-plane.md): mail from another domain's sender that leaves again",
    '# (forwards, external alias targets) gets a sender at the mail host, SRS0=…@$myhostname, so it',
    '# passes SPF at the destination. Only the envelope changes: headers, and the DKIM signatures',
    '# over them, stay as they came. Senders on our hostnames keep their address (first table).',
    '# Canonical mapping repeats until the address maps to itself, so the SRS sender it made is',
    '# looked up again: the first table keeps every address at the mail host (postsrsd leaves',
    '# those alone too) without asking the database twice more for each message it takes.',
    `sender_canonical_maps = ${mailHostSenders(s)}, ${lookupTable(s, 'mail_own_senders')}, tcp:127.0.0.1:${s.ports.srsForward}`,
    'sender_canonical_classes = envelope_sender',
    '# A bounce to an SRS address goes back to the sender it was made from.',
    `recipient_canonical_maps = tcp:127.0.0.1:${s.ports.srsReverse}`,
    'recipient_canonical_classes = envelope_recipient',
    '',
    "# 50 MiB, what the big providers accept inbound (src/core/message-size.ts): Postfix's default",
    '# (10,240,000 bytes) would refuse an ordinary 8 MB attachment, a third larger once encoded.',
    '# A mailbox without the room still refuses the message at RCPT (quota-status below).',
    `message_size_limit = ${MESSAGE_SIZE_LIMIT}`,
    '',
    'smtpd_helo_required = yes',
    'disable_vrfy_command = yes',
    '# Unknown recipients are refused at RCPT, but where each list says (reject_unlisted_recipient):',
    '# left implicit, the check would run after an access table found the recipient too.',
    'smtpd_reject_unlisted_recipient = no',
    '# Port 25 relays for nobody, loopback included: behind a proxy or port-forward every client',
    '# would come from 127.0.0.1. Local injection (pickup) passes no smtpd restrictions anyway.',
    'smtpd_relay_restrictions = reject_unauth_destination',
    '# Over-quota recipients are refused at RCPT (when the client declared SIZE), not bounced later.',
    '# One lookup per recipient: the table answers OK for a listed address (a mailbox, an alias, a',
    "# forward), which needs no other check, and names the class that asks Dovecot's quota-status",
    `# (${QUOTA_CHECK_CLASS}) for a mailbox one message could overfill (src/core/quota-watch.ts). For`,
    '# any other address it answers nothing, and reject_unlisted_recipient decides (catch-alls, role',
    '# addresses, SRS bounces, unknown ones): the policy is never asked for an unknown recipient.',
    `smtpd_restriction_classes = ${QUOTA_CHECK_CLASS}`,
    `${QUOTA_CHECK_CLASS} = check_policy_service unix:${sockets.quotaStatus}`,
    `smtpd_recipient_restrictions = reject_non_fqdn_recipient, check_recipient_access ${addressesOnly(lookupTable(s, 'mail_recipient_access'))}, reject_unlisted_recipient`,
    '# A policy service that is down or hangs defers the recipient: no mail goes unchecked.',
    `smtpd_policy_service_default_action = ${POLICY_UNAVAILABLE}`,
    'smtpd_policy_service_timeout = 10s',
    '',
    ...tls,
    '',
  ];
  return { path: 'postfix/main.cf', content: HEADER + lines.join('\n'), mode: PUBLIC_MODE };
}

/** master.cf: Postfix's standard services, unchrooted, with SMTP and submission on our ports. */
export function renderPostfixMasterCf(s: MailPlaneSettings): RenderedFile {
  const sockets = socketPaths(s);
  const submissionOptions = [
    ...(s.tls ? ['smtpd_tls_security_level=encrypt', 'smtpd_tls_auth_only=yes'] : []),
    'smtpd_sasl_auth_enable=yes',
    'smtpd_sasl_type=dovecot',
    `smtpd_sasl_path=${sockets.auth}`,
    'smtpd_sasl_security_options=noanonymous',
    'smtpd_client_restrictions=permit_sasl_authenticated,reject',
    // Each mailbox may send only as itself: mail_senders maps an address to its one login.
    'smtpd_sender_restrictions=reject_sender_login_mismatch,permit_sasl_authenticated,reject',
    'smtpd_relay_restrictions=permit_sasl_authenticated,reject',
    // Sending limits per SASL login, counted at each RCPT (commas: -o values take no spaces);
    // then an unknown recipient at a hostname we serve is refused (main.cf leaves it explicit).
    `smtpd_recipient_restrictions=reject_non_fqdn_recipient,check_policy_service,unix:${sockets.policy},reject_unlisted_recipient`,
    // The From header checked first (a forged one is refused before it is signed), then signed
    // on the way out. With either milter down, clients retry rather than send unchecked or
    // unsigned mail (that fails DMARC at the receiver).
    `smtpd_milters=unix:${sockets.fromCheck},unix:${sockets.dkim}`,
    'milter_default_action=tempfail',
  ].map((o) => `  -o ${o}`);
  const row = (
    service: string,
    type: string,
    priv: string,
    wakeup: string,
    maxproc: string,
    command: string,
  ) =>
    `${service.padEnd(10)} ${type.padEnd(10)} ${priv.padEnd(7)} -       n       ${wakeup.padEnd(7)} ${maxproc.padEnd(7)} ${command}`;
  const lines = [
    '# service  type       private unpriv  chroot  wakeup  maxproc command',
    row(String(s.ports.smtp), 'inet', 'n', '-', '-', 'smtpd'),
    row(String(s.ports.submission), 'inet', 'n', '-', '-', 'smtpd'),
    '  -o syslog_name=postfix-mailwright/submission',
    ...submissionOptions,
    // submissions (RFC 8314): the same SASL and sender rules, TLS from the first byte.
    ...(s.tls
      ? [
          row(String(s.ports.submissions), 'inet', 'n', '-', '-', 'smtpd'),
          '  -o syslog_name=postfix-mailwright/submissions',
          '  -o smtpd_tls_wrappermode=yes',
          ...submissionOptions,
        ]
      : []),
    row('pickup', 'unix', 'n', '60', '1', 'pickup'),
    row('cleanup', 'unix', 'n', '-', '0', 'cleanup'),
    row('qmgr', 'unix', 'n', '300', '1', 'qmgr'),
    row('tlsmgr', 'unix', '-', '1000?', '1', 'tlsmgr'),
    row('rewrite', 'unix', '-', '-', '-', 'trivial-rewrite'),
    row('bounce', 'unix', '-', '-', '0', 'bounce'),
    row('defer', 'unix', '-', '-', '0', 'bounce'),
    row('trace', 'unix', '-', '-', '0', 'bounce'),
    row('verify', 'unix', '-', '-', '1', 'verify'),
    row('flush', 'unix', 'n', '1000?', '0', 'flush'),
    row('proxymap', 'unix', '-', '-', '-', 'proxymap'),
    row('proxywrite', 'unix', '-', '-', '1', 'proxymap'),
    row('smtp', 'unix', '-', '-', '-', 'smtp'),
    row('relay', 'unix', '-', '-', '-', 'smtp'),
    row('showq', 'unix', 'n', '-', '-', 'showq'),
    row('error', 'unix', '-', '-', '-', 'error'),
    row('retry', 'unix', '-', '-', '-', 'error'),
    row('discard', 'unix', '-', '-', '-', 'discard'),
    row('lmtp', 'unix', '-', '-', '-', 'lmtp'),
    row('anvil', 'unix', '-', '-', '1', 'anvil'),
    row('scache', 'unix', '-', '-', '1', 'scache'),
    row('postlog', 'unix-dgram', 'n', '-', '1', 'postlogd'),
    '',
  ];
  return { path: 'postfix/master.cf', content: HEADER + lines.join('\n'), mode: PUBLIC_MODE };
}

/** Dovecot's `connect`: the SQLite file, or a libpq conninfo string (also the Lua passdb's). */
const dovecotConnect = (s: MailPlaneSettings): string =>
  s.dialect === 'sqlite'
    ? s.database.path
    : [
        `host=${s.database.host}`,
        `port=${s.database.port}`,
        `dbname=${s.database.dbname}`,
        `user=${s.database.user}`,
        ...(s.database.password !== undefined ? [`password=${s.database.password}`] : []),
      ].join(' ');

/** The mailbox-password passdb (dovecot-lua.ts), with the connection and query of the SQL files. */
const renderDovecotLua = (s: MailPlaneSettings): RenderedFile =>
  renderMailboxPassdb(s, {
    connect: dovecotConnect(s),
    query: dovecotQueries(dovecotPaths(s), target(s)).passwordQuery,
    mode: secretMode(s),
    // Loaded by the auth processes after they dropped root (passdb init), unlike the SQL files.
    group: s.users.dovecot,
  });

/**
 * dovecot-sql.conf.ext: the connection and the queries of the userdb; and
 * dovecot-app-passwords.conf.ext, the same connection for the second passdb (app passwords).
 */
export function renderDovecotSql(s: MailPlaneSettings): RenderedFile[] {
  const q = dovecotQueries(dovecotPaths(s), target(s));
  const connect = dovecotConnect(s);
  const file = (name: string, queries: string[]): RenderedFile => ({
    path: `dovecot/${name}`,
    content:
      HEADER +
      [
        `driver = ${s.dialect === 'sqlite' ? 'sqlite' : 'pgsql'}`,
        `connect = ${connect}`,
        '# The scheme comes with each hash ({ARGON2ID}$argon2id$…); this is only the fallback.',
        'default_pass_scheme = ARGON2ID',
        ...queries,
        '',
      ].join('\n'),
    mode: secretMode(s),
  });
  return [
    file('dovecot-sql.conf.ext', [
      `user_query = ${q.userQuery}`,
      `iterate_query = ${q.iterateQuery}`,
    ]),
    file('dovecot-app-passwords.conf.ext', [`password_query = ${q.appPasswordQuery}`]),
  ];
}

/** What only the running system knows; `stack.ts` looks it up before rendering. */
export interface RenderOptions {
  /** uid of `users.vmail`: Dovecot then accepts that uid for mail, and no other. */
  vmailUid?: number;
  /** The relays' logins, read from `relayPasswordFile` (as root: `readRelayLogins`). */
  relayLogins?: RelayLogins;
  /**
   * The data dir's owner, the account the API runs as (docs/deployment.md §3): it gets
   * Dovecot's `auth-master` socket to flush changed logins from the auth cache.
   */
  apiUser?: string;
}

/**
 * Sessions an `imap` process serves, one after another, before it exits: Dovecot's advice for
 * reuse (100 to 1,000), so that a slow leak or fragmentation is bounded.
 */
export const IMAP_SESSIONS_PER_PROCESS = 100;

/**
 * Clients the auth service accepts at once. With login and imap processes reused, Dovecot counts
 * one auth client per process any reused service may run (its defaults: imap 1,024; lmtp,
 * imap-login and imap-urlauth-login 100 each) and warns if the limit (default 1,000) is lower:
 * at full load a process would wait for auth.
 */
const AUTH_CLIENT_LIMIT = 1024 + 3 * 100;

/** Where Debian's dovecot-core installs them (doveconf on PATH, the services in libexec). */
const DOVECONF = '/usr/bin/doveconf';
const QUOTA_STATUS = '/usr/lib/dovecot/quota-status';
const AUTH = '/usr/lib/dovecot/auth';

/**
 * The quota-status service's command: doveconf reads dovecot.conf once per process and execs
 * quota-status with the settings in its environment (DOVECONF_ENV), which it then parses in
 * process for each request instead of asking the config process. `-m mail` exports only what a
 * mail process reads (the `mail` module, as quota-status asks the config process for at start,
 * and the base settings every service gets): 36 variables instead of 370, most of them the
 * master's `service` blocks, which quota-status never uses but matched, by linear search, against
 * every setting it knows for every recipient (docs/mail-plane.md, "No backscatter"). `env -u`
 * keeps doveconf from emptying the environment (it does when DOVECOT_PRESERVE_ENVS is set, as the
 * master sets it), which would drop the master's variables and leave quota-status deaf to its
 * listener.
 */
const quotaStatusCommand = (s: MailPlaneSettings): string =>
  [
    '/usr/bin/env -u DOVECOT_PRESERVE_ENVS',
    `${DOVECONF} -c ${dovecotConfigFile(s)} -m mail -f service=quota-status`,
    `-e ${QUOTA_STATUS} -p postfix`,
  ].join(' ');

/** dovecot.conf of a private instance (`dovecot -c <config>/dovecot/dovecot.conf`). */
export function renderDovecotConf(s: MailPlaneSettings, opts: RenderOptions = {}): RenderedFile {
  const sockets = socketPaths(s);
  const sqlConf = join(s.dirs.config, 'dovecot', 'dovecot-sql.conf.ext');
  const postfixListener = (path: string) => [
    `  unix_listener ${path} {`,
    '    mode = 0660',
    `    user = ${s.users.postfix}`,
    `    group = ${s.users.postfix}`,
    '  }',
  ];
  const tls = s.tls
    ? ['ssl = required', `ssl_cert = <${s.tls.certFile}`, `ssl_key = <${s.tls.keyFile}`]
    : [
        '# No certificate configured: nothing is encrypted (private test instances only).',
        'ssl = no',
        'disable_plaintext_auth = no',
      ];
  const lines = [
    '# A private instance: its own sockets, state and logs, nothing shared with a system Dovecot.',
    'instance_name = mailwright',
    `base_dir = ${s.dirs.run}/dovecot`,
    `state_dir = ${join(s.dirs.state, 'dovecot')}`,
    `log_path = ${join(s.dirs.log, 'dovecot.log')}`,
    `info_log_path = ${join(s.dirs.log, 'dovecot-info.log')}`,
    `hostname = ${s.mailHost}`,
    'protocols = imap lmtp',
    `listen = ${s.listen}`,
    ...tls,
    '',
    'auth_mechanisms = plain login',
    'auth_username_format = %Lu',
    '# Cached logins skip the lookups and argon2id; Mailwright flushes an entry with every change',
    '# to that mailbox (doveadm auth cache flush), so a disabled mailbox is refused from its next',
    "# login on. A mailbox's own password is cached as verified (a SHA1 digest, in memory only);",
    "# an app password's argon2id hash is verified again, by the workers (on every core).",
    'auth_cache_size = 10M',
    `auth_cache_ttl = ${AUTH_CACHE_TTL_SECONDS} s`,
    '# Unknown logins are not cached: a mailbox created or enabled logs in at once.',
    'auth_cache_negative_ttl = 0',
    'auth_cache_verify_password_with_worker = yes',
    "# The mailbox's own password: looked up and verified in the auth workers, on every core, on",
    '# both dialects (docs/mail-plane.md, "Logins").',
    'passdb {',
    '  driver = lua',
    `  args = file=${mailboxPassdbFile(s)} blocking=yes cache_key=%Lu`,
    '}',
    "# Asked only when the mailbox's own password did not match: its app passwords, each selected",
    '# by the public id its text begins with (docs/mail-plane.md).',
    'passdb {',
    '  driver = sql',
    `  args = ${join(s.dirs.config, 'dovecot', 'dovecot-app-passwords.conf.ext')}`,
    '}',
    '# After each login, cached or not, IMAP or SMTP AUTH, Dovecot reports its outcome to the',
    '# policy service (`mailwright mailstack policy-server`); a success with an app password sets',
    "# that password's last use. Only the report: no login waits for or depends on the answer.",
    `auth_policy_server_url = http://127.0.0.1:${s.ports.authPolicy}/`,
    'auth_policy_check_before_auth = no',
    'auth_policy_check_after_auth = no',
    'auth_policy_report_after_auth = yes',
    `auth_policy_request_attributes = user=%Lu app_password=%{passdb:${APP_PASSWORD_FIELD}}`,
    '# Dovecot requires a nonce with a policy server; it salts only %{hashed_password}, never sent.',
    'auth_policy_hash_nonce = mailwright',
    "# A login's own passdb row carries its userdb fields (home, quota_rule): no second query.",
    '# An app-password login, LMTP, quota-status and doveadm ask the SQL userdb.',
    'userdb {',
    '  driver = prefetch',
    '}',
    'userdb {',
    '  driver = sql',
    `  args = ${sqlConf}`,
    '}',
    '',
    '# Every maildir belongs to one system account; homes come from the mail_users view.',
    `mail_uid = ${s.users.vmail}`,
    `mail_gid = ${s.users.vmailGroup}`,
    ...(opts.vmailUid !== undefined
      ? [
          '# A system account may sit below the default first_valid_uid (500): allow exactly it.',
          `first_valid_uid = ${opts.vmailUid}`,
          `last_valid_uid = ${opts.vmailUid}`,
        ]
      : []),
    'mail_location = maildir:~/Maildir',
    'mail_plugins = $mail_plugins quota',
    'namespace inbox {',
    '  inbox = yes',
    '  separator = /',
    '  mailbox Drafts {',
    '    special_use = \\Drafts',
    '    auto = subscribe',
    '  }',
    '  mailbox Sent {',
    '    special_use = \\Sent',
    '    auto = subscribe',
    '  }',
    '  mailbox Junk {',
    '    special_use = \\Junk',
    '    auto = subscribe',
    '  }',
    '  mailbox Trash {',
    '    special_use = \\Trash',
    '    auto = subscribe',
    '  }',
    '}',
    'protocol imap {',
    '  mail_plugins = $mail_plugins imap_quota',
    '}',
    '# Over-quota recipients are refused at RCPT time, so Postfix never has to bounce them.',
    'lmtp_rcpt_check_quota = yes',
    '',
    'plugin {',
    '  quota = maildir:User quota',
    "  # No global quota_rule: each user's comes from mail_users (userdb field quota_rule).",
    '  # A hard limit: without this Dovecot lets a mailbox under quota take one message that',
    '  # overshoots it by up to 10 %, and the quota would not mean what the user set.',
    '  quota_grace = 0',
    '  quota_status_success = DUNNO',
    '  quota_status_nouser = DUNNO',
    '  quota_status_overquota = "552 5.2.2 Mailbox is full"',
    '}',
    '',
    'service imap-login {',
    '  inet_listener imap {',
    `    port = ${s.ports.imap}`,
    '  }',
    '  inet_listener imaps {',
    // Implicit TLS (RFC 8314): what the credentials CSV and the _imaps._tcp SRV record name.
    `    port = ${s.tls ? s.ports.imaps : 0}`,
    ...(s.tls ? ['    ssl = yes'] : []),
    '  }',
    '  # One process takes many connections before their login (docs/mail-plane.md, "Logins"):',
    '  # a new process per connection started OpenSSL each time, the largest part of a cached login.',
    '  service_count = 0',
    '  # One per core, so that TLS, which a login process carries for its sessions, uses every core.',
    `  process_min_avail = ${availableParallelism()}`,
    '}',
    '# After the login: every mailbox is the same system account (mail_uid), so a process may',
    '# serve one session after another; renewed after IMAP_SESSIONS_PER_PROCESS of them.',
    'service imap {',
    `  service_count = ${IMAP_SESSIONS_PER_PROCESS}`,
    '}',
    'service lmtp {',
    ...postfixListener(sockets.lmtp),
    '}',
    'service auth {',
    `  client_limit = ${AUTH_CLIENT_LIMIT}`,
    ...postfixListener(sockets.auth),
    ...(opts.apiUser
      ? [
          '  # Mailwright flushes changed logins from the cache (doveadm auth cache flush).',
          '  unix_listener auth-master {',
          '    mode = 0600',
          `    user = ${opts.apiUser}`,
          '  }',
        ]
      : []),
    '}',
    'service auth-worker {',
    '  user = $default_internal_user',
    "  # Keeps libsodium's argon2id memory mapped between verifications (argon2-memory.ts).",
    `  executable = /usr/bin/env LD_PRELOAD=${argon2MemoryFile(s)} ${AUTH} -w`,
    // SQLite in WAL mode: the reader writes the -shm index, through the database's group.
    ...(s.dialect === 'sqlite' ? [`  extra_groups = ${s.users.databaseGroup}`] : []),
    '}',
    '# Postfix asks it at RCPT time (check_policy_service) whether the recipient has room.',
    '# Started through doveconf, which hands it the settings in its environment: Dovecot 2.3',
    '# quota-status misses its own settings cache and would fetch and parse the whole config',
    '# from the config process for every recipient (docs/mail-plane.md, "No backscatter").',
    'service quota-status {',
    `  executable = ${quotaStatusCommand(s)}`,
    ...postfixListener(sockets.quotaStatus),
    '  client_limit = 1',
    '}',
    '',
  ];
  return {
    path: 'dovecot/dovecot.conf',
    content: HEADER + lines.join('\n'),
    mode: PUBLIC_MODE,
  };
}

/**
 * Files earlier versions rendered and nothing reads now, removed at the next render:
 * `mail_quota_watch.cf`, the watch table before `mail_recipient_access.cf` took its place.
 */
export const RETIRED_FILES: readonly string[] = ['postfix/mail_quota_watch.cf'];

/** Every file of the mail plane's configuration. */
export function renderMailPlane(s: MailPlaneSettings, opts: RenderOptions = {}): RenderedFile[] {
  return [
    renderPostfixMainCf(s),
    renderPostfixMasterCf(s),
    ...renderPostfixTables(s),
    renderDovecotConf(s, opts),
    renderDovecotLua(s),
    ...renderDovecotSql(s),
    renderOpendkimConf(s),
    ...(opts.relayLogins !== undefined ? renderRelayLogins(opts.relayLogins) : []),
    renderFromCheck(),
    renderSyslogCatcher(),
  ];
}
