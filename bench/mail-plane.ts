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
/** Each figure alternates with its ceiling this many times, so both see the same load. */
const ROUNDS = fromEnv('MAILWRIGHT_BENCH_MAIL_ROUNDS', 3);
/** argon2id hashes per core for one measurement of the hashing ceiling. */
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

/** `count` logins over IMAP_CLIENTS connections at a time. */
async function logIns(
  port: number,
  accounts: { address: string; password: string }[],
  count: number,
): Promise<void> {
  await inParallel(count, IMAP_CLIENTS, (i) => {
    const { address, password } = accounts[i % accounts.length]!;
    return logIn(port, address, password);
  });
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
 * static lookup tables — texthash files of the domain, the mailboxes and the own senders (every
 * table Postfix asks the database for an inbound message) for Postfix, a passwd-file userdb for
 * Dovecot's LMTP — and without the quota-status policy, so what it
 * measures beyond the real run is what Mailwright's SQL lookups and policy cost. Returns the
 * switches between the two, so that measurements can alternate; each waits for the reload.
 */
async function staticTables(
  stack: MailStack,
  accounts: { address: string; password: string }[],
): Promise<{ useStatic: () => Promise<void>; useMailwright: () => Promise<void> }> {
  const s = stack.settings;
  const base = join(s.dirs.base, 'static-tables');
  mkdirSync(base, { recursive: true });
  const domains = join(base, 'domains');
  const users = join(base, 'users');
  const ownSenders = join(base, 'own-senders');
  const hostnames = new Set(accounts.map((a) => a.address.split('@')[1]!));
  writeFileSync(domains, [...hostnames].map((d) => `${d} OK\n`).join(''));
  writeFileSync(users, accounts.map((a) => `${a.address} OK\n`).join(''));
  // `@host @host`: any sender on the hostname keeps its address, as mail_own_senders answers.
  writeFileSync(ownSenders, [...hostnames].map((d) => `@${d} @${d}\n`).join(''));
  const config = postfixDir(s);
  const mainCf = join(config, 'main.cf');
  const file = dovecotConfigFile(s);
  const mailwright = { main: readFileSync(mainCf, 'utf8'), dovecot: readFileSync(file, 'utf8') };
  const { stdout: senderMaps } = await run('postconf', [
    '-c',
    config,
    '-h',
    'sender_canonical_maps',
  ]);
  const staticSenders = senderMaps
    .trim()
    .replace(/\S+\/mail_own_senders\.cf/, `texthash:${ownSenders}`);
  if (!staticSenders.includes(ownSenders)) throw new Error(`no own senders in ${senderMaps}`);
  await run('postconf', [
    '-c',
    config,
    '-e',
    `virtual_mailbox_domains = texthash:${domains}`,
    `virtual_mailbox_maps = texthash:${users}`,
    'virtual_alias_maps =',
    // Every SQL table asked for an inbound message is static here, the SRS table stays.
    `sender_canonical_maps = ${staticSenders}`,
    // Unknown recipients still refused, by the static tables: only the quota check goes.
    'smtpd_recipient_restrictions = reject_non_fqdn_recipient, reject_unlisted_recipient',
  ]);
  const staticFiles = {
    main: readFileSync(mainCf, 'utf8'),
    dovecot: withPasswdFile(
      mailwright.dovecot,
      await writePasswdFile(stack, accounts, join(base, 'passwd')),
    ),
  };
  const use = async (files: { main: string; dovecot: string }) => {
    writeFileSync(mainCf, files.main);
    writeFileSync(file, files.dovecot);
    await run('postfix', ['-c', config, 'reload']);
    await run('doveadm', ['-c', file, 'reload']);
    // Both reload in the background; let the new processes take over before measuring.
    await new Promise((r) => setTimeout(r, 2_000));
  };
  return { useStatic: () => use(staticFiles), useMailwright: () => use(mailwright) };
}

/**
 * `HASH_SAMPLES` argon2id hashes with OWASP's parameters on every core at once (one stream per
 * core): timed, what the cores allow right now, under the load they have. Each login verifies
 * one such hash, which costs what computing it does.
 */
async function hashCeiling(): Promise<void> {
  await Promise.all(
    Array.from({ length: CORES }, async (_, core) => {
      for (let i = 0; i < HASH_SAMPLES; i++) await hashPassword(`bench-${core}-${i}`);
    }),
  );
}

/** Sums of counts and seconds, so that alternating rounds give one rate each. */
class Rate {
  private count = 0;
  private seconds = 0;
  add(count: number, ms: number): void {
    this.count += count;
    this.seconds += ms / 1000;
  }
  get value(): number {
    return this.count / this.seconds;
  }
}

/** Runs `measure` and adds its count and duration to `rate`. */
async function timed(rate: Rate, count: number, measure: () => Promise<void>): Promise<void> {
  const start = performance.now();
  await measure();
  rate.add(count, performance.now() - start);
}

/**
 * The mail plane on one database: 100 mailboxes created through Mailwright's API (generated
 * passwords, argon2id), the private Postfix and Dovecot started over that database with `up`,
 * then SMTP deliveries per second into the mailboxes (with raw Postfix SMTP as the ceiling) and
 * IMAP logins per second with the generated passwords. Needs root, Postfix and Dovecot.
 *
 * Each figure alternates with its ceiling over `ROUNDS` rounds (MAILWRIGHT_BENCH_MAIL_ROUNDS):
 * on a shared machine the load moves within a minute, and a ceiling measured once at the end
 * compared figures taken under another load.
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

        const tables = await staticTables(stack, accounts);
        const acceptedRate = new Rate();
        const deliveredRate = new Rate();
        const staticRate = new Rate();
        /** `MESSAGES` sent, then counted in the maildirs; adds to `rate` (and `accepted`). */
        const deliveries = async (rate: Rate, accepted?: Rate) => {
          const before = delivered(stack!, addresses);
          const start = performance.now();
          await sendToMailboxes(smtp, addresses, MESSAGES);
          accepted?.add(MESSAGES, performance.now() - start);
          await waitForDeliveries(stack!, addresses, before + MESSAGES);
          rate.add(MESSAGES, performance.now() - start);
        };
        /** Not counted: a reloaded server's first processes, connections and cache entries. */
        const switchTo = async (use: () => Promise<void>) => {
          await use();
          const before = delivered(stack!, addresses);
          await sendToMailboxes(smtp, addresses, addresses.length);
          await waitForDeliveries(stack!, addresses, before + addresses.length);
        };
        for (let round = 1; round <= ROUNDS; round++) {
          log(
            `SMTP, round ${round}/${ROUNDS}: ${MESSAGES} messages over ${SMTP_CONNECTIONS} connections, Mailwright's tables and static ones…`,
          );
          const mailwright = async () => {
            await switchTo(tables.useMailwright);
            await deliveries(deliveredRate, acceptedRate);
          };
          const fair = async () => {
            await switchTo(tables.useStatic);
            await deliveries(staticRate);
          };
          // Alternating which goes first, so neither always follows the other's backlog.
          for (const measure of round % 2 ? [mailwright, fair] : [fair, mailwright]) {
            await measure();
          }
        }
        await switchTo(tables.useMailwright);

        log(`loading ${ALIASES.toLocaleString('en-US')} aliases, then the same deliveries again…`);
        await loadAliases(ctx, ALIASES);
        const aliasedRate = new Rate();
        await deliveries(aliasedRate);

        log(
          `IMAP: starting a Dovecot with a plain-text passwd-file (the repeated logins' ceiling)…`,
        );
        const plain = await startPlainDovecot(stack, accounts);
        const hashRate = new Rate();
        const firstRate = new Rate();
        const repeatedRate = new Rate();
        const plainRate = new Rate();
        try {
          await logIns(plain.port, accounts, IMAP_CLIENTS);
          for (let round = 1; round <= ROUNDS; round++) {
            log(
              `IMAP, round ${round}/${ROUNDS}: argon2id on ${CORES} cores, ${accounts.length} first logins, ${LOGINS} repeated ones, ${LOGINS} to the passwd-file Dovecot…`,
            );
            await timed(hashRate, CORES * HASH_SAMPLES, hashCeiling);
            await flushAuthCache(stack);
            await timed(firstRate, accounts.length, () => logIns(imap, accounts, accounts.length));
            await timed(repeatedRate, LOGINS, () => logIns(imap, accounts, LOGINS));
            await timed(plainRate, LOGINS, () => logIns(plain.port, accounts, LOGINS));
          }
        } finally {
          await plain.stop();
        }
        log(
          `  first ${firstRate.value.toFixed(1)} /s (argon2id ${hashRate.value.toFixed(1)} /s), repeated ${repeatedRate.value.toFixed(1)} /s (passwd-file ${plainRate.value.toFixed(1)} /s)`,
        );

        const size = `${(MESSAGE_BYTES / 1024).toFixed(MESSAGE_BYTES % 1024 ? 1 : 0)} KiB`;
        return [
          {
            benchmark: `mail plane, ${dialect}: SMTP accepted (${ROUNDS} × ${MESSAGES.toLocaleString('en-US')} × ${size} to ${MAILBOXES} mailboxes, ${SMTP_CONNECTIONS} connections, one per message)`,
            result: acceptedRate.value,
            unit: 'msgs/s',
          },
          {
            benchmark: '  delivered: Postfix → LMTP → Dovecot, counted in the maildirs’ new/',
            result: deliveredRate.value,
            unit: 'msgs/s',
          },
          {
            benchmark: `  delivered with ${ALIASES.toLocaleString('en-US')} aliases in the database`,
            result: aliasedRate.value,
            unit: 'msgs/s',
          },
          {
            benchmark: '  with the aliases as a share of without (1.00: no delay)',
            result: aliasedRate.value / deliveredRate.value,
            unit: 'ratio',
          },
          {
            benchmark:
              '  fair ceiling: the same pipeline with static tables (texthash, passwd-file), no quota policy, alternating',
            result: staticRate.value,
            unit: 'msgs/s',
          },
          {
            benchmark: '  delivered as a share of the fair ceiling',
            result: deliveredRate.value / staticRate.value,
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
            result: (deliveredRate.value / sinkRate) * 100,
            unit: '%',
          },
          {
            benchmark: `mail plane, ${dialect}: IMAP first logins (${ROUNDS} × ${accounts.length} mailboxes, auth cache flushed, ${IMAP_CLIENTS} clients; each a new connection, LOGIN, LOGOUT)`,
            result: firstRate.value,
            unit: 'logins/s',
          },
          {
            benchmark: `  ceiling: argon2id hashes on all ${CORES} cores at once, between the rounds (each login verifies one)`,
            result: hashRate.value,
            unit: 'hashes/s',
          },
          {
            benchmark: '  first logins as a share of the ceiling',
            result: firstRate.value / hashRate.value,
            unit: 'ratio',
            target: { op: '>', value: 0.5 },
          },
          {
            benchmark: `mail plane, ${dialect}: IMAP repeated logins (${ROUNDS} × ${LOGINS.toLocaleString('en-US')}, auth cache warm, ${IMAP_CLIENTS} clients)`,
            result: repeatedRate.value,
            unit: 'logins/s',
          },
          {
            benchmark:
              '  ceiling: the same logins to a Dovecot with a plain-text passwd-file, alternating',
            result: plainRate.value,
            unit: 'logins/s',
          },
          {
            benchmark: '  repeated logins as a share of the ceiling',
            result: repeatedRate.value / plainRate.value,
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
