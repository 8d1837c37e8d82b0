import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chownSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { hashPassword } from '../src/core/password-hash.js';
import { dovecotConfigFile, postfixDir, renderDovecotConf } from '../src/mailstack/render.js';
import type { MailPlaneSettings } from '../src/mailstack/settings.js';
import { accepts } from '../src/mailstack/stack.js';
import type { Dialect } from '../src/store/dialect.js';
import { insertChunks } from '../src/store/insert-chunks.js';
import type { ServiceContext } from '../src/services/context.js';
import { startMailStack, type MailStack } from '../test/support/mail-stack.js';
import { freePort } from '../test/support/ports.js';
import {
  CORES,
  expectStatus,
  freshContext,
  fromEnv,
  inParallel,
  log,
  MAX_MAILBOXES_PER_HOSTNAME,
  people,
  seededRandom,
  startServer,
  type Row,
  type Suite,
} from './support.js';

const run = promisify(execFile);

const MESSAGES = fromEnv('MAILWRIGHT_BENCH_MAIL_MESSAGES', 1_000);
/** Payload bytes per message (smtp-source `-l`), about a plain-text mail with a signature. */
const MESSAGE_BYTES = fromEnv('MAILWRIGHT_BENCH_MAIL_BYTES', 10_240);
const SMTP_CONNECTIONS = fromEnv('MAILWRIGHT_BENCH_MAIL_CONNECTIONS', 8);
const LOGINS = fromEnv('MAILWRIGHT_BENCH_IMAP_LOGINS', 500);
const IMAP_CLIENTS = fromEnv('MAILWRIGHT_BENCH_IMAP_CLIENTS', 4);
const ALIASES = fromEnv('MAILWRIGHT_BENCH_ALIASES', 100_000);
const MAILBOXES = MAX_MAILBOXES_PER_HOSTNAME;
const DOMAIN = 'northwind.example';
const SENDER = 'newsletter@remote.example';
const CLIENT_NAME = 'client.remote.example';
const HOST = '127.0.0.1';
const HASH_SAMPLES = 10;
const POLL_MS = 20;

const SMTP_SOURCE = '/usr/sbin/smtp-source';
const SMTP_SINK = '/usr/sbin/smtp-sink';

/**
 * One smtp-source run: `sessions` connections in parallel, one new connection per message (no
 * `-d`), as mail from many senders arrives at an MX.
 */
const smtpSource = (port: number, to: string, messages: number, sessions: number): string[] => [
  SMTP_SOURCE,
  ...['-s', String(sessions), '-m', String(messages), '-l', String(MESSAGE_BYTES)],
  ...['-S', 'Mailwright bench', '-f', SENDER, '-t', to, '-M', CLIENT_NAME],
  `${HOST}:${port}`,
];

const shellQuote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * Sends `messages` over SMTP_CONNECTIONS connections, spread evenly over the mailboxes: mailbox
 * i gets messages/100 of them (one more for the first messages % 100), sent by one smtp-source
 * over one connection per message, and SMTP_CONNECTIONS shells run those smtp-source commands at
 * once. smtp-source takes one recipient per run, so this is as close as it comes to round robin;
 * the shells fork the small C client, which costs far less than Node forking itself for each
 * command. Resolves once every message was accepted (250 after DATA); a refusal rejects.
 */
async function sendToMailboxes(port: number, addresses: string[], messages: number): Promise<void> {
  const share = (i: number) =>
    Math.floor(messages / addresses.length) + (i < messages % addresses.length ? 1 : 0);
  const lanes: string[][] = Array.from(
    { length: Math.min(SMTP_CONNECTIONS, messages, addresses.length) },
    () => [],
  );
  addresses.forEach((address, i) => {
    if (share(i) > 0) {
      lanes[i % lanes.length]!.push(
        smtpSource(port, address, share(i), 1).map(shellQuote).join(' '),
      );
    }
  });
  await Promise.all(lanes.map((commands) => run('sh', ['-ec', commands.join('\n')])));
}

/** Messages in the mailboxes' `new/` directories: delivered, not just accepted. */
function delivered(stack: MailStack, addresses: string[]): number {
  let count = 0;
  for (const address of addresses) {
    try {
      count += readdirSync(stack.newMailDir(address)).length;
    } catch {
      // Dovecot creates the maildir with the first delivery.
    }
  }
  return count;
}

async function waitForDeliveries(
  stack: MailStack,
  addresses: string[],
  expected: number,
): Promise<void> {
  const deadline = performance.now() + 60_000 + 200 * MESSAGES;
  while (delivered(stack, addresses) < expected) {
    if (performance.now() > deadline) {
      throw new Error(
        `${delivered(stack, addresses)} of ${expected} messages delivered; queue:\n${await stack.queue()}\n${stack.logs().slice(-4000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/**
 * `count` aliases on the bench's hostname, two external targets each, as the API stores them
 * (rows of `aliases` and `alias_targets`), written in chunks: the size of the table Postfix's
 * lookups go through (`mail_aliases`, by unique index) is all that matters here.
 */
async function loadAliases(ctx: ServiceContext, count: number): Promise<void> {
  const db = ctx.store.db;
  const domain = await db
    .selectFrom('domains')
    .select(['id', 'account_id'])
    .where('name', '=', DOMAIN)
    .executeTakeFirstOrThrow();
  const now = new Date().toISOString();
  const rows = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    account_id: domain.account_id,
    domain_id: domain.id,
    address: `list-${i}@${DOMAIN}`,
    created_at: now,
    updated_at: now,
  }));
  for (const chunk of insertChunks(rows)) {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('aliases').values(chunk).execute();
      const targets = chunk.flatMap((a, i) =>
        [0, 1].map((position) => ({
          alias_id: a.id,
          position,
          target: `r${i}-${position}@partner.example`,
        })),
      );
      for (const part of insertChunks(targets)) {
        await trx.insertInto('alias_targets').values(part).execute();
      }
    });
  }
}

/**
 * The ceiling: the same smtp-source run against Postfix's smtp-sink, which answers SMTP and
 * throws the message away (no queue file, no lookup, no delivery). What it reaches is the most
 * any SMTP server on this machine could take from this client over loopback.
 */
async function ceiling(): Promise<number> {
  const port = await freePort();
  // As root, smtp-sink must be told whom to run as once it has its socket.
  const sink: ChildProcess = spawn(SMTP_SINK, ['-u', 'nobody', `${HOST}:${port}`, '256'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  sink.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  try {
    const deadline = performance.now() + 10_000;
    while (!(await accepts(HOST, port))) {
      if (performance.now() > deadline || sink.exitCode !== null) {
        throw new Error(`smtp-sink did not start: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const [command, ...args] = smtpSource(port, `someone@${DOMAIN}`, MESSAGES, SMTP_CONNECTIONS);
    const start = performance.now();
    await run(command!, args);
    return MESSAGES / ((performance.now() - start) / 1000);
  } finally {
    if (sink.exitCode === null) {
      const exited = new Promise((r) => sink.once('exit', r));
      sink.kill();
      await exited;
    }
  }
}

/**
 * One IMAP login as a mail client makes it: a new connection, CAPABILITY, ID, `LOGIN` with the
 * password, NAMESPACE, LOGOUT (imapflow's verifyOnly session). Rejects when the login fails.
 */
async function logIn(port: number, user: string, pass: string): Promise<void> {
  const client = new ImapFlow({
    host: HOST,
    port,
    secure: false,
    logger: false,
    verifyOnly: true,
    auth: { user, pass, loginMethod: 'LOGIN' },
  });
  client.on('error', () => undefined);
  await client.connect();
}

/** Logins per second of `count` logins over IMAP_CLIENTS connections at a time. */
async function loginRate(
  port: number,
  accounts: { address: string; password: string }[],
  count: number,
): Promise<number> {
  const start = performance.now();
  await inParallel(count, IMAP_CLIENTS, (i) => {
    const { address, password } = accounts[i % accounts.length]!;
    return logIn(port, address, password);
  });
  return count / ((performance.now() - start) / 1000);
}

/** Empties the running Dovecot's auth cache: the next login of each mailbox is a first one. */
async function flushAuthCache(stack: MailStack): Promise<void> {
  await run('doveadm', ['-c', dovecotConfigFile(stack.settings), 'auth', 'cache', 'flush']);
}

/**
 * The non-hashing ceiling of a login: a second private Dovecot, rendered like the mail plane's
 * (same IMAP service, namespaces, quota plugin, maildirs) but with a static passwd-file of
 * plain-text passwords as passdb and userdb instead of SQL and argon2id. Returns its IMAP port
 * and a stop function.
 */
async function startPlainDovecot(
  stack: MailStack,
  accounts: { address: string; password: string }[],
): Promise<{ port: number; stop: () => Promise<void> }> {
  const s = stack.settings;
  const base = join(s.dirs.base, 'plain-dovecot');
  const dirs = {
    ...s.dirs,
    run: join(base, 'run'),
    state: join(base, 'state'),
    log: join(base, 'log'),
    queue: join(base, 'queue'),
  };
  for (const d of [dirs.run, join(dirs.state, 'dovecot'), dirs.log, join(dirs.queue, 'private')]) {
    mkdirSync(d, { recursive: true });
  }
  const plain: MailPlaneSettings = {
    ...s,
    dirs,
    ports: { ...s.ports, imap: await freePort(), lmtp: join(base, 'lmtp') },
  };
  const passwd = await writePasswdFile(stack, accounts, join(base, 'passwd'));
  const conf = withPasswdFile(
    renderDovecotConf(plain, { vmailUid: await vmailUid(stack) })
      .content.replace('instance_name = mailwright', 'instance_name = mailwright-plain')
      .replace('protocols = imap lmtp', 'protocols = imap'),
    passwd,
  );
  const file = join(base, 'dovecot.conf');
  writeFileSync(file, conf);
  // Not execFile: the daemon it forks keeps captured stdout open, so execFile never returns.
  await new Promise((resolve, reject) =>
    spawn('dovecot', ['-c', file], { stdio: 'ignore' }).once('exit', resolve).once('error', reject),
  );
  const deadline = performance.now() + 10_000;
  while (!(await accepts(HOST, plain.ports.imap))) {
    if (performance.now() > deadline) throw new Error('the passwd-file Dovecot did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port: plain.ports.imap,
    stop: async () => {
      await run('doveadm', ['-c', file, 'stop']).catch(() => undefined);
    },
  };
}

async function vmailUid(stack: MailStack): Promise<number> {
  const { stdout } = await run('getent', ['passwd', stack.settings.users.vmail]);
  return Number(stdout.trim().split(':')[2]);
}

/**
 * A static passwd-file of the accounts (plain-text passwords, the mail plane's homes and quota
 * rule), readable by Dovecot's auth process; returns its path.
 */
async function writePasswdFile(
  stack: MailStack,
  accounts: { address: string; password: string }[],
  passwd: string,
): Promise<string> {
  const s = stack.settings;
  const { stdout: vmail } = await run('getent', ['passwd', s.users.vmail]);
  const [, , uid, gid] = vmail.trim().split(':');
  writeFileSync(
    passwd,
    accounts
      .map(({ address, password }) => {
        const [local, domain] = address.split('@');
        const home = join(s.dirs.mail, domain!, local!);
        return `${address}:{PLAIN}${password}:${uid}:${gid}::${home}::userdb_quota_rule=*:storage=100M\n`;
      })
      .join(''),
    { mode: 0o600 },
  );
  // Read by the auth process, which runs as Dovecot's internal user.
  const { stdout: internal } = await run('getent', ['passwd', 'dovecot']);
  chownSync(passwd, Number(internal.split(':')[2]), 0);
  return passwd;
}

/** A Dovecot configuration with `passwd` as its only passdb and userdb, and no auth cache. */
function withPasswdFile(conf: string, passwd: string): string {
  return (
    conf.replace(/^auth_cache_.*\n/gm, '').replace(/^(passdb|userdb) \{[^}]*\}\n/gm, '') +
    `passdb {\n  driver = passwd-file\n  args = ${passwd}\n}\nuserdb {\n  driver = passwd-file\n  args = ${passwd}\n}\n`
  );
}

/**
 * The delivery ceiling: the running pipeline (same Postfix, LMTP, Dovecot, maildirs) switched to
 * static lookup tables — texthash files of the domain and the mailboxes for Postfix, a
 * passwd-file userdb for Dovecot's LMTP — and without the quota-status policy, so what it
 * measures beyond the real run is what Mailwright's SQL lookups and policy cost. Run last: it
 * leaves the stack reconfigured.
 */
async function useStaticTables(
  stack: MailStack,
  accounts: { address: string; password: string }[],
): Promise<void> {
  const s = stack.settings;
  const base = join(s.dirs.base, 'static-tables');
  mkdirSync(base, { recursive: true });
  const domains = join(base, 'domains');
  const users = join(base, 'users');
  const hostnames = new Set(accounts.map((a) => a.address.split('@')[1]!));
  writeFileSync(domains, [...hostnames].map((d) => `${d} OK\n`).join(''));
  writeFileSync(users, accounts.map((a) => `${a.address} OK\n`).join(''));
  const config = postfixDir(s);
  await run('postconf', [
    '-c',
    config,
    '-e',
    `virtual_mailbox_domains = texthash:${domains}`,
    `virtual_mailbox_maps = texthash:${users}`,
    'virtual_alias_maps =',
    'smtpd_recipient_restrictions = reject_non_fqdn_recipient',
  ]);
  await run('postfix', ['-c', config, 'reload']);
  const file = dovecotConfigFile(s);
  writeFileSync(
    file,
    withPasswdFile(
      readFileSync(file, 'utf8'),
      await writePasswdFile(stack, accounts, join(base, 'passwd')),
    ),
  );
  await run('doveadm', ['-c', file, 'reload']);
  // Both reload in the background; let the new processes take over before measuring.
  await new Promise((r) => setTimeout(r, 2_000));
}

/**
 * The mail plane on one database: 100 mailboxes created through Mailwright's API (generated
 * passwords, argon2id), the private Postfix and Dovecot started over that database with `up`,
 * then SMTP deliveries per second into the mailboxes (with raw Postfix SMTP as the ceiling) and
 * IMAP logins per second with the generated passwords. Needs root, Postfix and Dovecot.
 *
 * The SMTP client is Postfix's smtp-source rather than nodemailer: a small C program whose cost
 * per message is a fraction of the server's, so on a shared two-core machine the cores go to
 * Postfix and Dovecot, not to building messages in JavaScript; and the ceiling uses the very
 * same client, so the two figures differ only in the server.
 */
export function mailPlane(dialect: Dialect): Suite {
  return {
    name: `mail-plane-${dialect}`,
    async run(): Promise<Row[]> {
      const { ctx, databaseUrl, drop } = await freshContext(dialect);
      let stack: MailStack | undefined;
      try {
        const server = await startServer(ctx);
        const accounts: { address: string; password: string }[] = [];
        try {
          await server.verifiedDomain(DOMAIN, MAILBOXES);
          const mailboxes = people([DOMAIN], MAILBOXES, seededRandom(25));
          log(`creating ${MAILBOXES} mailboxes with generated passwords…`);
          await inParallel(mailboxes.length, CORES * 2, async (i) => {
            const { localPart, name } = mailboxes[i]!;
            const res = await server.request('POST', '/v1/mailboxes', {
              mode: 'single',
              name,
              localPart,
              domain: DOMAIN,
              password: { generate: true },
            });
            expectStatus(res, 201, `create ${localPart}@${DOMAIN}`);
            const body = JSON.parse(res.text) as { mailbox: { address: string }; password: string };
            accounts.push({ address: body.mailbox.address, password: body.password });
          });
        } finally {
          await server.close();
        }
        const addresses = accounts.map((a) => a.address);

        log('starting the mail servers (mailstack up)…');
        stack = await startMailStack(databaseUrl, `mx.${DOMAIN}`);
        const { smtp, imap } = stack.settings.ports;

        // Not counted: the servers' first processes and database connections, and each
        // mailbox's first delivery, which creates its maildir (mail usually finds one).
        await sendToMailboxes(smtp, addresses, addresses.length);
        await inParallel(IMAP_CLIENTS, IMAP_CLIENTS, (i) => {
          const { address, password } = accounts[i % accounts.length]!;
          return logIn(imap, address, password);
        });
        await waitForDeliveries(stack, addresses, addresses.length);

        log(`ceiling: smtp-source → smtp-sink, ${MESSAGES} messages…`);
        const sinkRate = await ceiling();

        log(`SMTP: ${MESSAGES} messages over ${SMTP_CONNECTIONS} connections…`);
        const before = delivered(stack, addresses);
        const start = performance.now();
        await sendToMailboxes(smtp, addresses, MESSAGES);
        const acceptedMs = performance.now() - start;
        await waitForDeliveries(stack, addresses, before + MESSAGES);
        const deliveredMs = performance.now() - start;

        log(`loading ${ALIASES.toLocaleString('en-US')} aliases, then the same deliveries again…`);
        await loadAliases(ctx, ALIASES);
        const aliasedBefore = delivered(stack, addresses);
        const aliasedStart = performance.now();
        await sendToMailboxes(smtp, addresses, MESSAGES);
        await waitForDeliveries(stack, addresses, aliasedBefore + MESSAGES);
        const aliasedRate = MESSAGES / ((performance.now() - aliasedStart) / 1000);

        log(`IMAP: first logins of the ${accounts.length} mailboxes (auth cache flushed)…`);
        await flushAuthCache(stack);
        const firstRate = await loginRate(imap, accounts, accounts.length);
        log(`IMAP: ${LOGINS} repeated logins, ${IMAP_CLIENTS} clients…`);
        const repeatedRate = await loginRate(imap, accounts, LOGINS);
        log(`  first ${firstRate.toFixed(1)} /s, repeated ${repeatedRate.toFixed(1)} /s`);

        log(`ceiling: ${LOGINS} logins to a Dovecot with a plain-text passwd-file…`);
        const plain = await startPlainDovecot(stack, accounts);
        let plainRate: number;
        try {
          log('  warming up the passwd-file Dovecot…');
          await loginRate(plain.port, accounts, IMAP_CLIENTS);
          plainRate = await loginRate(plain.port, accounts, LOGINS);
        } finally {
          await plain.stop();
        }

        log(`ceiling: ${MESSAGES} messages through the same pipeline with static tables…`);
        await useStaticTables(stack, accounts);
        // Not counted: the reloaded servers' first processes.
        const warm = delivered(stack, addresses);
        await sendToMailboxes(smtp, addresses, SMTP_CONNECTIONS);
        await waitForDeliveries(stack, addresses, warm + SMTP_CONNECTIONS);
        const staticBefore = delivered(stack, addresses);
        const staticStart = performance.now();
        await sendToMailboxes(smtp, addresses, MESSAGES);
        await waitForDeliveries(stack, addresses, staticBefore + MESSAGES);
        const staticRate = MESSAGES / ((performance.now() - staticStart) / 1000);

        // Every login verifies the argon2id hash (a cached one too), so this bounds first logins.
        const hashStart = performance.now();
        for (let i = 0; i < HASH_SAMPLES; i++) await hashPassword(`bench-password-${i}`);
        const hashMs = (performance.now() - hashStart) / HASH_SAMPLES;
        const hashRate = CORES / (hashMs / 1000);

        const deliveredRate = MESSAGES / (deliveredMs / 1000);
        const size = `${(MESSAGE_BYTES / 1024).toFixed(MESSAGE_BYTES % 1024 ? 1 : 0)} KiB`;
        return [
          {
            benchmark: `mail plane, ${dialect}: SMTP accepted (${MESSAGES.toLocaleString('en-US')} × ${size} to ${MAILBOXES} mailboxes, ${SMTP_CONNECTIONS} connections, one per message)`,
            result: MESSAGES / (acceptedMs / 1000),
            unit: 'msgs/s',
          },
          {
            benchmark: '  delivered: Postfix → LMTP → Dovecot, counted in the maildirs’ new/',
            result: deliveredRate,
            unit: 'msgs/s',
          },
          {
            benchmark: `  delivered with ${ALIASES.toLocaleString('en-US')} aliases in the database`,
            result: aliasedRate,
            unit: 'msgs/s',
          },
          {
            benchmark: '  with the aliases as a share of without (1.00: no delay)',
            result: aliasedRate / deliveredRate,
            unit: 'ratio',
          },
          {
            benchmark:
              '  fair ceiling: the same pipeline with static tables (texthash, passwd-file), no quota policy',
            result: staticRate,
            unit: 'msgs/s',
          },
          {
            benchmark: '  delivered as a share of the fair ceiling',
            result: deliveredRate / staticRate,
            unit: 'ratio',
            target: { op: '>', value: 0.8 },
          },
          {
            benchmark: '  ceiling: smtp-source → smtp-sink, same count, size and connections',
            result: sinkRate,
            unit: 'msgs/s',
          },
          {
            benchmark: '  delivered as a share of the ceiling',
            result: (deliveredRate / sinkRate) * 100,
            unit: '%',
          },
          {
            benchmark: `mail plane, ${dialect}: IMAP first logins (${accounts.length} mailboxes, auth cache flushed, ${IMAP_CLIENTS} clients; each a new connection, LOGIN, LOGOUT)`,
            result: firstRate,
            unit: 'logins/s',
          },
          {
            benchmark: `  ceiling: argon2id verifications the ${CORES} cores allow (each login verifies one)`,
            result: hashRate,
            unit: 'hashes/s',
          },
          {
            benchmark: '  first logins as a share of the ceiling',
            result: firstRate / hashRate,
            unit: 'ratio',
            target: { op: '>', value: 0.5 },
          },
          {
            benchmark: `mail plane, ${dialect}: IMAP repeated logins (${LOGINS.toLocaleString('en-US')}, auth cache warm, ${IMAP_CLIENTS} clients)`,
            result: repeatedRate,
            unit: 'logins/s',
          },
          {
            benchmark: '  ceiling: the same logins to a Dovecot with a plain-text passwd-file',
            result: plainRate,
            unit: 'logins/s',
          },
          {
            benchmark: '  repeated logins as a share of the ceiling',
            result: repeatedRate / plainRate,
            unit: 'ratio',
            target: { op: '>', value: 0.5 },
          },
        ];
      } finally {
        try {
          await stack?.stop();
        } finally {
          await drop();
        }
      }
    },
  };
}
