import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUTH_CACHE_TTL_SECONDS } from '../../src/core/auth-cache.js';
import {
  ALIAS_FUNCTION,
  dovecotQueries,
  MAIL_VIEWS,
  postfixQueries,
  QUOTA_CHECK_CLASS,
} from '../../src/mailstack/queries.js';
import { readRelayLogins } from '../../src/mailstack/relay-login.js';
import { renderMailPlane, socketPaths } from '../../src/mailstack/render.js';
import { type RenderedFile } from '../../src/mailstack/rendered-file.js';
import {
  mailPlaneSettings,
  parseDatabaseUrl,
  type MailPlaneSettings,
} from '../../src/mailstack/settings.js';
import { writeConfig } from '../../src/mailstack/write-config.js';

const DATA = '/var/lib/mailwright';
const BASE = `${DATA}/mail-plane`;

const sqliteSettings = (): MailPlaneSettings =>
  mailPlaneSettings({
    databaseUrl: `sqlite:${DATA}/mailwright.db`,
    dataDir: DATA,
    mailHost: 'MX.Example.NET.',
  });
const pgSettings = (): MailPlaneSettings =>
  mailPlaneSettings({
    databaseUrl: `postgres://mw:s3cret@db.internal:6432/mail?options=${encodeURIComponent('-c search_path=tenant_a')}`,
    dataDir: DATA,
    mailHost: 'mx.example.net',
  });

const file = (files: RenderedFile[], path: string): RenderedFile => {
  const found = files.find((f) => f.path === path);
  if (!found) throw new Error(`no ${path} among ${files.map((f) => f.path).join(', ')}`);
  return found;
};
/** `key = value` lines of a Postfix or Dovecot file, comments dropped. */
const lines = (f: RenderedFile): string[] =>
  f.content.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
const param = (f: RenderedFile, key: string): string | undefined =>
  lines(f)
    .find((l) => l.startsWith(`${key} =`))
    ?.slice(key.length + 2)
    .trim();

describe('mail plane settings', () => {
  it('keeps every directory under the data dir but the DKIM keys, and defaults to unprivileged ports', () => {
    const s = sqliteSettings();
    expect(s.mailHost).toBe('mx.example.net');
    expect(s.ports).toEqual({
      smtp: 2525,
      submission: 5870,
      imap: 1143,
      imaps: 9933,
      submissions: 4650,
      srsForward: 10011,
      srsReverse: 10012,
      authPolicy: 10013,
      lmtp: `${BASE}/spool/postfix/private/dovecot-lmtp`,
    });
    const { dkimKeys, ...underBase } = s.dirs;
    for (const dir of Object.values(underBase)) expect(dir.startsWith(BASE)).toBe(true);
    // Beside the data dir, whose owner (the API's account) would make OpenDKIM refuse them.
    expect(dkimKeys).toBe('/var/lib/mailwright-dkim');
    expect(
      mailPlaneSettings({
        databaseUrl: `sqlite:${DATA}/mailwright.db`,
        dataDir: DATA,
        mailHost: 'mx.example.net',
        dkimKeysDir: '/etc/opendkim/keys/',
      }).dirs.dkimKeys,
    ).toBe('/etc/opendkim/keys');
    expect(s.dialect === 'sqlite' && s.database.path).toBe(`${DATA}/mailwright.db`);
  });

  it('reads PostgreSQL connection parameters and the schema from the URL', () => {
    expect(pgSettings()).toMatchObject({
      dialect: 'postgres',
      database: {
        host: 'db.internal',
        port: 6432,
        dbname: 'mail',
        user: 'mw',
        password: 's3cret',
        schema: 'tenant_a',
      },
    });
    expect(parseDatabaseUrl('postgres://postgres@127.0.0.1/test')).toEqual({
      dialect: 'postgres',
      params: { host: '127.0.0.1', port: 5432, dbname: 'test', user: 'postgres' },
    });
  });

  it.each([
    ['sqlite::memory:', /in-memory/],
    ['mysql://x', /sqlite: or postgres/],
    ['sqlite:/data/my db.sqlite', /database.path/],
    ["postgres://u:it's@h/db", /password/],
    ['postgres://u:p%23x@h/db', /password/],
  ])('refuses %s', (databaseUrl, message) => {
    expect(() =>
      mailPlaneSettings({ databaseUrl, dataDir: DATA, mailHost: 'mx.example.net' }),
    ).toThrow(message);
  });

  it('refuses a data dir or host name the configs cannot carry', () => {
    const input = { databaseUrl: 'sqlite:/d/m.db', dataDir: '/d/50%', mailHost: 'mx.example.net' };
    expect(() => mailPlaneSettings(input)).toThrow(/dirs.base/);
    expect(() => mailPlaneSettings({ ...input, dataDir: '/d', mailHost: 'mx example' })).toThrow(
      /mailHost/,
    );
  });
});

describe('mail server queries', () => {
  const PATHS = { mailRoot: '/srv/mail', quotaWarnings: '/run/mailwright/quota-warnings.sock' };
  const all = [...Object.values(postfixQueries()), ...Object.values(dovecotQueries(PATHS))].filter(
    (q): q is string => q !== null,
  );

  it('read only the mail views', () => {
    for (const query of all) {
      const relations = [...query.matchAll(/\b(?:from|join)\s+([\w.]+)/gi)].map((m) => m[1]);
      expect(relations.length).toBeGreaterThan(0);
      for (const r of relations) expect(MAIL_VIEWS).toContain(r);
    }
  });

  it('look aliases up on PostgreSQL through the function over mail_aliases, with a kept plan', () => {
    expect(postfixQueries({ dialect: 'postgres', schema: 'tenant_a' }).virtualAliasMaps).toBe(
      `SELECT target FROM tenant_a.${ALIAS_FUNCTION}('%s') AS target`,
    );
    expect(postfixQueries({ dialect: 'sqlite' }).virtualAliasMaps).toBe(
      "SELECT target FROM mail_aliases WHERE address = '%s'",
    );
  });

  it('look up by one escaped key, the form each server substitutes', () => {
    const { ownSenderMaps, senderRelayMaps, recipientAccessMaps, ...byAddress } = postfixQueries();
    for (const q of Object.values(byAddress)) {
      if (q !== null) expect(q).toMatch(/ = '%s'$/);
    }
    // The key's domain (`%d`), escaped like the whole key.
    expect(ownSenderMaps).toMatch(/ = '%d'$/);
    expect(senderRelayMaps).toMatch(/ = '%d'$/);
    // The whole key rebuilt from its parts: an access table's domain and `user@` keys find nothing.
    expect(recipientAccessMaps).toMatch(/ = '%u@%d' AND .* = '%u@%d' LIMIT 1$/);
    const d = dovecotQueries(PATHS);
    expect(d.passwordQuery).toMatch(/ = '%Lu'$/);
    expect(d.userQuery).toMatch(/ = '%Lu'$/);
    expect(d.iterateQuery).not.toMatch(/%/);
  });

  it('qualify the views with a PostgreSQL schema when given one', () => {
    expect(postfixQueries({ schema: 'tenant_a' }).virtualMailboxMaps).toContain(
      'FROM tenant_a.mail_users',
    );
    expect(dovecotQueries(PATHS, { schema: 'tenant_a' }).passwordQuery).toContain(
      'FROM tenant_a.mail_users',
    );
  });
});

describe('rendered Postfix configuration', () => {
  it('looks tables up in SQLite from each process, and in PostgreSQL through proxymap but the domains', () => {
    const files = renderMailPlane(sqliteSettings());
    const main = file(files, 'postfix/main.cf');
    expect(param(main, 'virtual_mailbox_domains')).toBe(
      `sqlite:${BASE}/etc/postfix/mail_domains.cf`,
    );
    expect(param(main, 'virtual_mailbox_maps')).toBe(`sqlite:${BASE}/etc/postfix/mail_users.cf`);
    expect(param(main, 'smtpd_sender_login_maps')).toBe(
      `sqlite:${BASE}/etc/postfix/mail_senders.cf`,
    );
    const pgMain = file(renderMailPlane(pgSettings()), 'postfix/main.cf');
    expect(param(pgMain, 'virtual_mailbox_maps')).toBe(
      `proxy:pgsql:${BASE}/etc/postfix/mail_users.cf`,
    );
    // Asked by trivial-rewrite alone, which keeps its own connection as proxymap would.
    expect(param(pgMain, 'virtual_mailbox_domains')).toBe(
      `pgsql:${BASE}/etc/postfix/mail_domains.cf`,
    );
  });

  it('keeps its own queue, state and log, and delivers over LMTP to Dovecot', () => {
    const main = file(renderMailPlane(sqliteSettings()), 'postfix/main.cf');
    expect(param(main, 'queue_directory')).toBe(`${BASE}/spool/postfix`);
    expect(param(main, 'data_directory')).toBe(`${BASE}/lib/postfix`);
    expect(param(main, 'maillog_file')).toBe(`${BASE}/log/postfix.log`);
    expect(param(main, 'mydestination')).toBe('');
    expect(param(main, 'virtual_transport')).toBe(
      `lmtp:unix:${BASE}/spool/postfix/private/dovecot-lmtp`,
    );
    expect(param(main, 'message_size_limit')).toBe(String(50 * 1024 * 1024));
    // One lookup per recipient: OK for a listed one, quota-status only for the mailboxes the
    // table names (src/core/quota-watch.ts), the unlisted check for the rest; asked with whole
    // addresses only: no round trip for the domain and `user@` keys of an access table.
    expect(param(main, 'smtpd_recipient_restrictions')).toBe(
      `reject_non_fqdn_recipient, check_recipient_access pipemap:{regexp:{{/^([^@]+@[^@]+)$$/ $\${1}}}, sqlite:${BASE}/etc/postfix/mail_recipient_access.cf}, reject_unlisted_recipient`,
    );
    // Left implicit, the unlisted check would run after the table's OK as well.
    expect(param(main, 'smtpd_reject_unlisted_recipient')).toBe('no');
    expect(param(main, 'smtpd_restriction_classes')).toBe(QUOTA_CHECK_CLASS);
    expect(param(main, QUOTA_CHECK_CLASS)).toBe(
      `check_policy_service unix:${BASE}/spool/postfix/private/dovecot-quota-status`,
    );
  });

  it('relays for nobody on port 25, not even for loopback clients', () => {
    const main = file(renderMailPlane(sqliteSettings()), 'postfix/main.cf');
    // A proxy or port-forward in front of port 25 makes every client 127.0.0.1 (issue 12, item 6).
    expect(param(main, 'smtpd_relay_restrictions')).toBe('reject_unauth_destination');
    expect(main.content).not.toMatch(/permit_mynetworks/);
    expect(main.content).not.toMatch(/^smtpd_sasl_auth_enable/m);
  });

  it('listens on the configured ports and lets a mailbox submit only as itself', () => {
    const master = file(renderMailPlane(sqliteSettings()), 'postfix/master.cf').content;
    expect(master).toMatch(/^2525\s+inet\s+n\s+-\s+n\s+-\s+-\s+smtpd$/m);
    expect(master).toMatch(/^5870\s+inet\s+n\s+-\s+n\s+-\s+-\s+smtpd$/m);
    expect(master).toMatch(/^ {2}-o smtpd_sasl_type=dovecot$/m);
    expect(master).toContain(`-o smtpd_sasl_path=${BASE}/spool/postfix/private/dovecot-auth`);
    expect(master).toMatch(/-o smtpd_sender_restrictions=reject_sender_login_mismatch,/);
    // Nothing is chrooted: the sockets and the database are reached at their real paths.
    for (const row of master.split('\n').filter((l) => /^\S+\s+(inet|unix|unix-dgram)\s/.test(l))) {
      expect(row.split(/\s+/)[4]).toBe('n');
    }
  });

  it('checks the From header before OpenDKIM signs on submission only, and defers when a milter is down', () => {
    const files = renderMailPlane(sqliteSettings());
    const master = file(files, 'postfix/master.cf').content;
    expect(master).toContain(
      `-o smtpd_milters=unix:${BASE}/run/from-check/from-check.sock,unix:${BASE}/run/opendkim/opendkim.sock\n`,
    );
    expect(master).toContain('-o milter_default_action=tempfail\n');
    expect(file(files, 'postfix/main.cf').content).not.toMatch(/milter/);
    expect(file(files, 'from-check/from_check.py').content).toContain(
      'Milter.runmilter("mailwright-from-check"',
    );
  });

  it('asks the sending policy service at each submitted RCPT, and defers when it cannot', () => {
    const files = renderMailPlane(sqliteSettings());
    const master = file(files, 'postfix/master.cf').content;
    expect(master).toContain(
      `-o smtpd_recipient_restrictions=reject_non_fqdn_recipient,check_policy_service,unix:${BASE}/run/policy/policy.sock,reject_unlisted_recipient\n`,
    );
    // Inbound SMTP is not limited: only the submission service names the socket.
    expect(master.match(/policy\.sock/g)).toHaveLength(1);
    const main = file(files, 'postfix/main.cf').content;
    expect(main).toMatch(
      /^smtpd_policy_service_default_action = 451 4\.3\.5 Policy service unavailable; try again later$/m,
    );
  });

  it('writes the lookup tables against the views, with the password readable by its group only', () => {
    const sqlite = file(renderMailPlane(sqliteSettings()), 'postfix/mail_users.cf');
    expect(param(sqlite, 'dbpath')).toBe(`${DATA}/mailwright.db`);
    expect(param(sqlite, 'query')).toBe("SELECT maildir FROM mail_users WHERE address = '%s'");
    expect(sqlite.mode).toBe(0o644);
    const pg = file(renderMailPlane(pgSettings()), 'postfix/mail_senders.cf');
    expect(lines(pg)).toEqual([
      'hosts = inet:db.internal:6432',
      'dbname = mail',
      'user = mw',
      'password = s3cret',
      "query = SELECT login FROM tenant_a.mail_senders WHERE address = '%s'",
    ]);
    expect(pg.mode).toBe(0o640);
  });
});

describe('the relay password file', () => {
  const GLOBAL = '[smtp.relay.example]:587';
  const read = (content: string, globalRelay?: string, mode = 0o600) => {
    const path = join(mkdtempSync(join(tmpdir(), 'mailwright-relay-')), 'relay-password');
    writeFileSync(path, content, { mode });
    return readRelayLogins(path, globalRelay);
  };

  it("reads one login per relay, a bare line as the global relay's, comments skipped", async () => {
    const logins = await read(
      `# logins\n\nglobal:pass:with-colon\n  [A.Relay.example]:2525   a-user:a-pass  \n`,
      GLOBAL,
    );
    expect([...logins]).toEqual([
      [GLOBAL, 'global:pass:with-colon'],
      ['[a.relay.example]:2525', 'a-user:a-pass'],
    ]);
  });

  it("takes keyed lines without a global relay: only domains' relays need logins", async () => {
    expect([...(await read('[a.relay.example]:587 a:b\n'))]).toEqual([
      ['[a.relay.example]:587', 'a:b'],
    ]);
  });

  it.each([
    [
      'user:pass\n',
      undefined,
      'line 1: a login without its relay, and MAILWRIGHT_RELAY_HOST is not set',
    ],
    ['smtp.relay.example:587 user:pass\n', GLOBAL, 'line 1: the relay is not [host]:port'],
    ['# first\n[a.relay.example]:587 nocolon\n', GLOBAL, 'line 2: the login is not user:password'],
    [
      '[a.relay.example]:587 user:pass word\n',
      GLOBAL,
      'line 1: more than a relay and a user:password',
    ],
    [`user:pass\n${GLOBAL} other:pass\n`, GLOBAL, `line 2: a second login for ${GLOBAL}`],
    ['# nothing\n', GLOBAL, 'must hold one line per relay'],
  ])('refuses %j, naming the line and never its secret', async (content, globalRelay, message) => {
    const refused = read(content, globalRelay);
    await expect(refused).rejects.toThrow(message);
    await expect(refused).rejects.not.toThrow(/pass(?!word)|nocolon/);
  });

  it('refuses a file other users can read', async () => {
    await expect(read('user:pass\n', GLOBAL, 0o640)).rejects.toThrow(/mode 0640.*chmod 600/);
  });
});

describe('relay host', () => {
  const relaySettings = (relay: { relayHost?: string; relayPasswordFile?: string }) =>
    mailPlaneSettings({
      databaseUrl: `sqlite:${DATA}/mailwright.db`,
      dataDir: DATA,
      mailHost: 'mx.example.net',
      ...relay,
    });

  it("logs in to each relay with its own login from root's copy, over TLS only", () => {
    const s = relaySettings({
      relayHost: '[smtp.relay.example]:587',
      relayPasswordFile: '/etc/mailwright/relay-password',
    });
    const files = renderMailPlane(s, {
      relayLogins: new Map([
        ['[smtp.relay.example]:587', 'user:secret'],
        ['[other.relay.example]:2525', 'other:pass'],
      ]),
    });
    const main = file(files, 'postfix/main.cf');
    expect(param(main, 'relayhost')).toBe('[smtp.relay.example]:587');
    expect(param(main, 'smtp_sasl_auth_enable')).toBe('yes');
    expect(param(main, 'smtp_sasl_password_maps')).toBe(
      `texthash:${BASE}/etc/postfix/relay_passwd`,
    );
    // Logins by relay, never by sender: off is the default, and it stays unset.
    expect(param(main, 'smtp_sender_dependent_authentication')).toBeUndefined();
    expect(param(main, 'smtp_sasl_security_options')).toBe('noplaintext, noanonymous');
    expect(param(main, 'smtp_tls_policy_maps')).toBe(`texthash:${BASE}/etc/postfix/relay_tls`);
    const login = file(files, 'postfix/relay_passwd');
    expect(lines(login)).toEqual([
      '[smtp.relay.example]:587 user:secret',
      '[other.relay.example]:2525 other:pass',
    ]);
    expect(login.mode).toBe(0o600);
    expect(lines(file(files, 'postfix/relay_tls'))).toEqual([
      '[smtp.relay.example]:587 encrypt',
      '[other.relay.example]:2525 encrypt',
    ]);
    // Without a login: no SASL, and no copy.
    const plain = renderMailPlane(relaySettings({ relayHost: '[smtp.relay.example]:587' }));
    expect(param(file(plain, 'postfix/main.cf'), 'smtp_sasl_auth_enable')).toBeUndefined();
    expect(plain.some((f) => f.path === 'postfix/relay_passwd')).toBe(false);
  });

  it("picks the relay by the sender's hostname from mail_relays, with or without a global relay", () => {
    for (const relay of [{}, { relayHost: '[smtp.relay.example]:587' }]) {
      const files = renderMailPlane(relaySettings(relay));
      expect(param(file(files, 'postfix/main.cf'), 'sender_dependent_relayhost_maps')).toBe(
        `sqlite:${BASE}/etc/postfix/mail_relays.cf`,
      );
      expect(param(file(files, 'postfix/mail_relays.cf'), 'query')).toBe(
        postfixQueries().senderRelayMaps,
      );
    }
  });

  it("takes a password file without a global relay: the logins of domains' relays", () => {
    const s = relaySettings({ relayPasswordFile: '/etc/mailwright/relay-password' });
    const main = file(
      renderMailPlane(s, { relayLogins: new Map([['[a.relay.example]:587', 'a:b']]) }),
      'postfix/main.cf',
    );
    expect(param(main, 'relayhost')).toBeUndefined();
    expect(param(main, 'smtp_sasl_auth_enable')).toBe('yes');
  });
});

describe('SRS', () => {
  it("rewrites other domains' envelope senders through postsrsd, and resolves bounces to SRS addresses", () => {
    const files = renderMailPlane(sqliteSettings());
    const main = file(files, 'postfix/main.cf');
    // The SRS sender postsrsd made is looked up again: the mail host's addresses stay as they
    // are without a database lookup (two per message).
    expect(param(main, 'sender_canonical_maps')).toBe(
      `regexp:{{/^(.+@mx\\.example\\.net)$$/ $\${1}}}, sqlite:${BASE}/etc/postfix/mail_own_senders.cf, tcp:127.0.0.1:10011`,
    );
    // Only the envelope: rewriting a header would break the DKIM signatures over it.
    expect(param(main, 'sender_canonical_classes')).toBe('envelope_sender');
    expect(param(main, 'recipient_canonical_maps')).toBe('tcp:127.0.0.1:10012');
    expect(param(main, 'recipient_canonical_classes')).toBe('envelope_recipient');
    expect(param(main, 'virtual_alias_domains')).toBe('mx.example.net');
    expect(param(file(files, 'postfix/mail_own_senders.cf'), 'query')).toBe(
      "SELECT '%s' FROM mail_domains WHERE name = '%d'",
    );
  });
});

describe('role aliases', () => {
  it('routes postmaster@ and abuse@ through an alias table only when a postmaster is set', () => {
    const without = file(renderMailPlane(sqliteSettings()), 'postfix/main.cf');
    // Aliases, catch-alls and forwards are always looked up; role addresses only with a postmaster.
    expect(param(without, 'virtual_alias_maps')).toBe(`sqlite:${BASE}/etc/postfix/mail_aliases.cf`);
    // The mail host is an alias domain for SRS addresses only (describe 'SRS').
    expect(param(without, 'virtual_alias_domains')).toBe('mx.example.net');
    const s = mailPlaneSettings({
      databaseUrl: `sqlite:${DATA}/mailwright.db`,
      dataDir: DATA,
      mailHost: 'mx.example.net',
      postmaster: 'Ops@Example.NET',
    });
    const files = renderMailPlane(s);
    const main = file(files, 'postfix/main.cf');
    expect(param(main, 'virtual_alias_maps')).toBe(
      `sqlite:${BASE}/etc/postfix/mail_aliases.cf, sqlite:${BASE}/etc/postfix/mail_roles.cf`,
    );
    expect(param(main, 'virtual_alias_domains')).toBe('mx.example.net');
    expect(param(file(files, 'postfix/mail_aliases.cf'), 'query')).toBe(
      "SELECT target FROM mail_aliases WHERE address = '%s'",
    );
    expect(param(file(files, 'postfix/mail_roles.cf'), 'query')).toContain(
      "SELECT 'ops@example.net' FROM mail_domains",
    );
  });

  it("refuses a postmaster address that could break out of the table's SQL", () => {
    expect(() =>
      mailPlaneSettings({
        databaseUrl: `sqlite:${DATA}/mailwright.db`,
        dataDir: DATA,
        mailHost: 'mx.example.net',
        postmaster: "o'brien%s@example.net",
      }),
    ).toThrow(/The postmaster address must be a plain address/);
  });
});

describe('rendered Dovecot configuration', () => {
  it('authenticates through Lua and SQL, finds users through SQL, with a short auth cache and no negative entries', () => {
    const conf = file(renderMailPlane(sqliteSettings()), 'dovecot/dovecot.conf').content;
    // The mailbox's own password: verified in the auth workers, cached per login (flushable).
    expect(conf).toContain(
      `passdb {\n  driver = lua\n  args = file=${BASE}/etc/dovecot/mailbox-passdb.lua blocking=yes cache_key=%Lu\n}`,
    );
    // A login's passdb row carries its userdb fields (prefetch); the rest ask the SQL userdb.
    expect(conf).toContain(
      `userdb {\n  driver = prefetch\n}\nuserdb {\n  driver = sql\n  args = ${BASE}/etc/dovecot/dovecot-sql.conf.ext\n}`,
    );
    // The mailbox's own password first, then its app passwords (docs/mail-plane.md).
    expect(conf).toContain(
      `passdb {\n  driver = sql\n  args = ${BASE}/etc/dovecot/dovecot-app-passwords.conf.ext\n}`,
    );
    expect(conf.indexOf('mailbox-passdb.lua')).toBeLessThan(
      conf.indexOf('dovecot-app-passwords.conf.ext'),
    );
    // Every login's outcome is reported, nothing is asked: app passwords' last use.
    expect(conf).toMatch(/^auth_policy_server_url = http:\/\/127\.0\.0\.1:10013\/$/m);
    expect(conf).toMatch(/^auth_policy_check_before_auth = no$/m);
    expect(conf).toMatch(/^auth_policy_check_after_auth = no$/m);
    expect(conf).toMatch(/^auth_policy_report_after_auth = yes$/m);
    expect(conf).toMatch(
      /^auth_policy_request_attributes = user=%Lu app_password=%\{passdb:mw_app_password\}$/m,
    );
    const apps = file(renderMailPlane(sqliteSettings()), 'dovecot/dovecot-app-passwords.conf.ext');
    expect(apps.content).toMatch(
      /^password_query = SELECT .* FROM mail_app_passwords WHERE public_id = substr\('%w', 1, 8\) AND address = '%Lu'$/m,
    );
    expect(apps.content).not.toMatch(/^user_query/m);
    expect(conf).toMatch(/^auth_cache_size = 10M$/m);
    expect(conf).toMatch(new RegExp(`^auth_cache_ttl = ${AUTH_CACHE_TTL_SECONDS} s$`, 'm'));
    expect(AUTH_CACHE_TTL_SECONDS).toBeLessThanOrEqual(60);
    expect(conf).toMatch(/^auth_cache_negative_ttl = 0$/m);
    expect(conf).toMatch(/^auth_cache_verify_password_with_worker = yes$/m);
    // Without the data dir's owner, nobody but root may flush the cache.
    expect(conf).not.toContain('unix_listener auth-master');
    expect(conf).toMatch(/^base_dir = \/var\/lib\/mailwright\/mail-plane\/run\/dovecot$/m);
    expect(conf).toMatch(/^log_path = \/var\/lib\/mailwright\/mail-plane\/log\/dovecot.log$/m);
  });

  it("gives the API's account the auth-master socket, to flush changed logins", () => {
    const conf = file(
      renderMailPlane(sqliteSettings(), { apiUser: 'mailwright' }),
      'dovecot/dovecot.conf',
    );
    expect(conf.content).toContain(
      '  unix_listener auth-master {\n    mode = 0600\n    user = mailwright\n  }',
    );
  });

  it('enforces quotas at RCPT time and serves IMAP, LMTP and the quota policy', () => {
    const conf = file(renderMailPlane(sqliteSettings()), 'dovecot/dovecot.conf').content;
    expect(conf).toMatch(/^mail_plugins = \$mail_plugins quota$/m);
    expect(conf).toMatch(/^lmtp_rcpt_check_quota = yes$/m);
    expect(conf).toMatch(/^ {2}quota = maildir:User quota$/m);
    expect(conf).toContain(
      `  executable = /usr/bin/env -u DOVECOT_PRESERVE_ENVS /usr/bin/doveconf -c ${BASE}/etc/dovecot/dovecot.conf -m mail -f service=quota-status -e /usr/lib/dovecot/quota-status -p postfix\n`,
    );
    expect(conf).toContain(`unix_listener ${BASE}/spool/postfix/private/dovecot-quota-status {`);
    expect(conf).toContain(`unix_listener ${BASE}/spool/postfix/private/dovecot-lmtp {`);
    expect(conf).toContain(`unix_listener ${BASE}/spool/postfix/private/dovecot-auth {`);
    expect(conf).toMatch(/inet_listener imap {\n {4}port = 1143\n/);
    expect(conf).not.toMatch(/^ {2}quota_rule =/m);
  });

  it('pins mail to the maildir owner and opens the SQLite database to the auth worker', () => {
    const conf = file(renderMailPlane(sqliteSettings(), { vmailUid: 999 }), 'dovecot/dovecot.conf');
    expect(param(conf, 'first_valid_uid')).toBe('999');
    expect(param(conf, 'last_valid_uid')).toBe('999');
    expect(conf.content).toMatch(
      /^service auth-worker {\n(?: {2}.*\n)* {2}extra_groups = postfix\n/m,
    );
    const unpinned = file(renderMailPlane(pgSettings()), 'dovecot/dovecot.conf').content;
    expect(unpinned).not.toMatch(/first_valid_uid|extra_groups/);
    expect(
      param(file(renderMailPlane(sqliteSettings()), 'postfix/main.cf'), 'maillog_file_prefixes'),
    ).toBe(`${BASE}/log`);
  });

  it('connects to the database of the dialect', () => {
    const sqlite = file(renderMailPlane(sqliteSettings()), 'dovecot/dovecot-sql.conf.ext');
    expect(param(sqlite, 'driver')).toBe('sqlite');
    expect(param(sqlite, 'connect')).toBe(`${DATA}/mailwright.db`);
    expect(param(sqlite, 'user_query')).toMatch(
      new RegExp(
        `^SELECT '${BASE}/mail/' \\|\\| maildir AS home, quota_rule, .* AS quota_warning, .* AS quota_warning2 FROM mail_users WHERE address = '%Lu'$`,
      ),
    );
    expect(param(sqlite, 'user_query')).toContain(
      ` ${BASE}/run/quota-warnings/quota-warnings.sock over `,
    );
    expect(param(sqlite, 'password_query')).toBeUndefined();
    const pg = file(renderMailPlane(pgSettings()), 'dovecot/dovecot-sql.conf.ext');
    expect(param(pg, 'driver')).toBe('pgsql');
    expect(param(pg, 'connect')).toBe(
      'host=db.internal port=6432 dbname=mail user=mw password=s3cret',
    );
    expect(param(pg, 'user_query')).toContain('FROM tenant_a.mail_users');
    expect(pg.mode).toBe(0o640);
  });

  it('looks mailbox passwords up in Lua with the passdb query, the login escaped by the driver', () => {
    const luaString = (f: RenderedFile, name: string) =>
      new RegExp(`^local ${name} = "(.*)"$`, 'm').exec(f.content)?.[1];
    const sqlite = file(renderMailPlane(sqliteSettings()), 'dovecot/mailbox-passdb.lua');
    expect(sqlite.content).toMatch(/^local luasql = require\("luasql\.sqlite3"\)$/m);
    expect(luaString(sqlite, 'CONNECT')).toBe(`${DATA}/mailwright.db`);
    expect(sqlite.mode).toBe(0o644);
    const [before, after] = dovecotQueries({
      mailRoot: `${BASE}/mail`,
      quotaWarnings: socketPaths(sqliteSettings()).quotaWarnings,
    }).passwordQuery.split("'%Lu'");
    expect(sqlite.content).toContain(`local QUERY_BEFORE, QUERY_AFTER = "${before}", "${after}"`);
    expect(sqlite.content).toContain(
      `conn:execute(QUERY_BEFORE .. "'" .. conn:escape(login) .. "'" .. QUERY_AFTER)`,
    );
    // Verified against the stored hash; the password is never logged.
    expect(sqlite.content).toContain('req:password_verify(row.password, password)');
    expect(sqlite.content).not.toMatch(/log_|print/);
    const pg = file(renderMailPlane(pgSettings()), 'dovecot/mailbox-passdb.lua');
    expect(pg.content).toMatch(/^local luasql = require\("luasql\.postgres"\)$/m);
    expect(luaString(pg, 'CONNECT')).toBe(
      'host=db.internal port=6432 dbname=mail user=mw password=s3cret',
    );
    expect(pg.content).toContain('FROM tenant_a.mail_users WHERE address = ');
    // Read by the auth processes, which run as Dovecot's internal user, not root.
    expect(pg.mode).toBe(0o640);
    expect(pg.group).toBe('dovecot');
  });

  it('uses TLS when given a certificate, and plaintext only without one', () => {
    const s = mailPlaneSettings({
      databaseUrl: 'sqlite:/d/m.db',
      dataDir: '/d',
      mailHost: 'mx.example.net',
      tls: { certFile: '/etc/ssl/mx.pem', keyFile: '/etc/ssl/mx.key' },
    });
    const files = renderMailPlane(s);
    expect(file(files, 'dovecot/dovecot.conf').content).toMatch(/^ssl = required$/m);
    expect(file(files, 'dovecot/dovecot.conf').content).toMatch(
      /^ssl_cert = <\/etc\/ssl\/mx.pem$/m,
    );
    expect(file(files, 'postfix/master.cf').content).toContain('-o smtpd_tls_auth_only=yes');
    expect(param(file(files, 'postfix/main.cf'), 'smtpd_tls_cert_file')).toBe('/etc/ssl/mx.pem');
    expect(file(files, 'dovecot/dovecot.conf').content).toContain(
      'inet_listener imaps {\n    port = 9933\n    ssl = yes\n  }',
    );
    const plain = file(renderMailPlane(sqliteSettings()), 'dovecot/dovecot.conf').content;
    expect(plain).toMatch(/^ssl = no$/m);
    expect(plain).toContain('inet_listener imaps {\n    port = 0\n  }');
  });

  it('serves submissions (implicit TLS) with the options of submission, only with a certificate', () => {
    const s = mailPlaneSettings({
      databaseUrl: 'sqlite:/d/m.db',
      dataDir: '/d',
      mailHost: 'mx.example.net',
      tls: { certFile: '/etc/ssl/mx.pem', keyFile: '/etc/ssl/mx.key' },
    });
    const master = file(renderMailPlane(s), 'postfix/master.cf').content;
    // The `-o` lines right below a service's row.
    const options = (port: number) => {
      const below = master
        .slice(master.search(new RegExp(`^${port} `, 'm')))
        .split('\n')
        .slice(1);
      const end = below.findIndex((l) => !l.startsWith('  -o '));
      return below.slice(0, end).filter((o) => !o.includes('syslog_name'));
    };
    expect(options(4650)).toEqual(['  -o smtpd_tls_wrappermode=yes', ...options(5870)]);
    expect(options(5870)).toContain('  -o smtpd_tls_auth_only=yes');
    expect(file(renderMailPlane(sqliteSettings()), 'postfix/master.cf').content).not.toMatch(
      /^4650 /m,
    );
  });
});

describe('writing the configuration', () => {
  it('writes every file with its mode under the config directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailwright-mailstack-'));
    const files = renderMailPlane(pgSettings());
    const written = await writeConfig(dir, files);
    expect(written).toHaveLength(files.length);
    for (const f of files) {
      const path = join(dir, f.path);
      expect(readFileSync(path, 'utf8')).toBe(f.content);
      expect(statSync(path).mode & 0o777).toBe(f.mode);
    }
  });

  it('refuses a path leaving the directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailwright-mailstack-'));
    await expect(writeConfig(dir, [{ path: '../x', content: '', mode: 0o644 }])).rejects.toThrow(
      /stay inside/,
    );
  });
});
