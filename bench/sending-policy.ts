import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { sendPolicy } from '../src/app/policy-server.js';
import { servePolicy } from '../src/mailstack/policy-service.js';
import { postfixDir, socketPaths } from '../src/mailstack/render.js';
import { createAccount } from '../src/services/accounts/create-account.js';
import type { Actor } from '../src/services/context.js';
import { addDomain } from '../src/services/domains/add-domain.js';
import { verifyDomain } from '../src/services/domains/verify-domain.js';
import { createMailbox } from '../src/services/mailboxes/create-mailbox.js';
import type { Dialect } from '../src/store/dialect.js';
import { startMailStack, type MailStack } from '../test/support/mail-stack.js';
import { freshContext, fromEnv, log, type Row, type Suite } from './support.js';

const run = promisify(execFile);

const DECISIONS = fromEnv('MAILWRIGHT_BENCH_POLICY_DECISIONS', 20_000);
/** Connections to the policy socket at once: Postfix keeps one per busy smtpd process. */
const POLICY_CLIENTS = fromEnv('MAILWRIGHT_BENCH_POLICY_CLIENTS', 8);
const SUBMISSIONS = fromEnv('MAILWRIGHT_BENCH_SUBMISSIONS', 1_000);
/** Senders submitting at once, each over one authenticated connection it keeps. */
const SENDERS = fromEnv('MAILWRIGHT_BENCH_SUBMIT_CONNECTIONS', 4);
/** Alternations of each measurement with its ceiling. */
const ROUNDS = 4;
const DOMAIN = 'outreach.example';
const WARMUP = 20;

/** A recipient as Postfix asks about it at RCPT on the submission port. */
const policyRequest = (login: string, i: number): string =>
  [
    'request=smtpd_access_policy',
    'protocol_state=RCPT',
    'protocol_name=ESMTP',
    'client_address=127.0.0.1',
    'client_name=localhost',
    'helo_name=client.example',
    `sender=${login}`,
    `recipient=prospect${i}@elsewhere.example`,
    'recipient_count=0',
    `queue_id=`,
    'instance=1a2b.3c4d.5e6f.0',
    'size=0',
    'sasl_method=PLAIN',
    `sasl_username=${login}`,
    '',
    '',
  ].join('\n');

/**
 * One client of the policy socket as an smtpd process is: one connection, one request at a time,
 * each waiting for its answer. Every answer must be DUNNO (the limits are far away).
 */
function policyClient(path: string, count: number, request: (i: number) => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let sent = 0;
    let buffer = '';
    const next = () => {
      if (sent < count) socket.write(request(sent++));
      else {
        socket.end();
        resolve();
      }
    };
    socket.setEncoding('utf8');
    socket.on('connect', next);
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
        const answer = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (answer !== 'action=DUNNO') {
          socket.destroy();
          reject(new Error(`policy answered ${answer}`));
          return;
        }
        next();
      }
    });
  });
}

/** Decisions per second: `total` requests over POLICY_CLIENTS connections. */
async function decisionRate(path: string, logins: string[], total: number): Promise<number> {
  const per = Math.ceil(total / POLICY_CLIENTS);
  const start = performance.now();
  await Promise.all(
    Array.from({ length: POLICY_CLIENTS }, (_, c) =>
      policyClient(path, per, (i) => policyRequest(logins[(c + i) % logins.length]!, i)),
    ),
  );
  return (per * POLICY_CLIENTS) / ((performance.now() - start) / 1000);
}

/** Messages accepted per second through the submission port, SENDERS logins at once. */
async function submissionRate(
  stack: MailStack,
  senders: { user: string; pass: string }[],
  to: string,
  total: number,
): Promise<number> {
  const transports = senders.map((auth) =>
    nodemailer.createTransport({
      host: '127.0.0.1',
      port: stack.settings.ports.submission,
      secure: false,
      ignoreTLS: true,
      name: 'client.example',
      pool: true,
      maxConnections: 1,
      maxMessages: Infinity,
      auth,
    }),
  );
  try {
    const per = Math.ceil(total / senders.length);
    const start = performance.now();
    await Promise.all(
      transports.map(async (transport, s) => {
        for (let i = 0; i < per; i++) {
          await transport.sendMail({
            from: senders[s]!.user,
            to,
            subject: `Quick question ${i}`,
            text: 'Hi,\n\nWould a short call next week suit you?\n\nBest,\nSam\n',
          });
        }
      }),
    );
    return (per * senders.length) / ((performance.now() - start) / 1000);
  } finally {
    for (const t of transports) t.close();
  }
}

/**
 * Postfix's master.cf with the policy check in the submission service and without it, and how
 * to switch between them (a reload).
 */
function policyCheckSwitch(stack: MailStack): (on: boolean) => Promise<void> {
  const file = join(postfixDir(stack.settings), 'master.cf');
  const check = `,check_policy_service,unix:${socketPaths(stack.settings).policy}`;
  const withCheck = readFileSync(file, 'utf8');
  if (!withCheck.includes(check)) throw new Error(`master.cf does not name ${check}`);
  const withoutCheck = withCheck.replace(check, '');
  return async (on) => {
    writeFileSync(file, on ? withCheck : withoutCheck);
    await run('postfix', ['-c', postfixDir(stack.settings), 'reload']);
    // The reload replaces the smtpd processes as they finish; give the master a moment.
    await new Promise((r) => setTimeout(r, 2_000));
  };
}

/**
 * The sending policy's cost: decisions per second through its unix socket against a no-op
 * server speaking the same protocol (same framing code, answers DUNNO without the database), and
 * messages per second through real Postfix submission with the policy against the same stack
 * with the policy check taken out.
 */
export function sendingPolicy(dialect: Dialect): Suite {
  return {
    name: `sending-policy-${dialect}`,
    async run(): Promise<Row[]> {
      const { ctx, databaseUrl, drop } = await freshContext(dialect);
      const dir = mkdtempSync(join(tmpdir(), 'mailwright-policy-'));
      let stack: MailStack | undefined;
      try {
        const account = await createAccount(ctx, { name: 'outreach', actor: 'bench' });
        const actor: Actor = { accountId: account.id, name: 'bench' };
        await addDomain(ctx, actor, { name: DOMAIN });
        await verifyDomain(ctx, actor, DOMAIN, { manual: true });
        const mailbox = async (localPart: string, name: string) => {
          const created = await createMailbox(ctx, actor, {
            name,
            localPart,
            domain: DOMAIN,
            password: { generate: true },
            sending: { dailyLimit: 100_000, hourlyLimit: 100_000, warmup: null },
          });
          return { user: created.mailbox.address, pass: created.password! };
        };
        const names = ['Sam Reed', 'Ana Lopez', 'Tom Baker', 'Mia Chen', 'Leo Park', 'Eva Ross'];
        const senders = [];
        for (let i = 0; i < Math.min(SENDERS, names.length); i++) {
          senders.push(await mailbox(names[i]!.split(' ')[0]!.toLowerCase(), names[i]!));
        }
        const reader = (await mailbox('inbox', 'Ivy Inbox')).user;
        const logins = senders.map((s) => s.user);

        log(`policy socket: ${DECISIONS} decisions over ${POLICY_CLIENTS} connections…`);
        const noop = await servePolicy(join(dir, 'noop.sock'), async () => 'DUNNO');
        const real = await servePolicy(join(dir, 'policy.sock'), sendPolicy(ctx));
        // Alternating rounds, as for submission below.
        const decisionsPerRound = Math.ceil(DECISIONS / (ROUNDS * POLICY_CLIENTS)) * POLICY_CLIENTS;
        let noopRate: number;
        let realRate: number;
        try {
          await decisionRate(join(dir, 'noop.sock'), logins, WARMUP * POLICY_CLIENTS);
          await decisionRate(join(dir, 'policy.sock'), logins, WARMUP * POLICY_CLIENTS);
          const seconds = { noop: 0, real: 0 };
          for (let round = 0; round < ROUNDS; round++) {
            for (const server of ['noop', 'real'] as const) {
              const path = join(dir, server === 'noop' ? 'noop.sock' : 'policy.sock');
              seconds[server] +=
                decisionsPerRound / (await decisionRate(path, logins, decisionsPerRound));
            }
          }
          noopRate = (decisionsPerRound * ROUNDS) / seconds.noop;
          realRate = (decisionsPerRound * ROUNDS) / seconds.real;
        } finally {
          await Promise.all([noop.close(), real.close()]);
        }
        log(`  ${realRate.toFixed(0)} /s, no-op ${noopRate.toFixed(0)} /s`);

        log('starting the mail servers and the policy service (mailstack up)…');
        // The policy service as production runs it: its own process, started by `up`, not on
        // this process's event loop beside the bench's SMTP clients, which would charge their
        // work to the policy's latency.
        stack = await startMailStack(databaseUrl, `mx.${DOMAIN}`);
        // With and without in alternating rounds, so a change in the machine's load while the
        // bench runs (other work shares it) weighs on a measurement and its ceiling alike.
        log(
          `submission: ${SUBMISSIONS} messages from ${senders.length} logins with the policy and as many without, alternating in ${ROUNDS} rounds…`,
        );
        const usePolicy = policyCheckSwitch(stack);
        const seconds = { with: 0, without: 0 };
        // Whole messages per login in each round, so a round's rate times its time is its count.
        const perRound = Math.ceil(SUBMISSIONS / (ROUNDS * senders.length)) * senders.length;
        for (let round = 0; round < ROUNDS; round++) {
          for (const on of [true, false]) {
            await usePolicy(on);
            await submissionRate(stack, senders, reader, WARMUP);
            seconds[on ? 'with' : 'without'] +=
              perRound / (await submissionRate(stack, senders, reader, perRound));
          }
        }
        const withRate = (perRound * ROUNDS) / seconds.with;
        const withoutRate = (perRound * ROUNDS) / seconds.without;
        log(`  ${withRate.toFixed(1)} msgs/s with, ${withoutRate.toFixed(1)} msgs/s without`);

        return [
          {
            benchmark: `sending policy, ${dialect}: decisions through the unix socket (${(decisionsPerRound * ROUNDS).toLocaleString('en-US')} RCPT requests in ${ROUNDS} rounds alternating with the ceiling, ${POLICY_CLIENTS} connections; the decisions that arrive together counted in one transaction)`,
            result: realRate,
            unit: 'decisions/s',
            target: { op: '>', value: 2_000 },
          },
          {
            benchmark: '  ceiling: a no-op policy server, same protocol code, answers DUNNO',
            result: noopRate,
            unit: 'decisions/s',
          },
          {
            benchmark: '  decisions as a share of the no-op ceiling',
            result: realRate / noopRate,
            unit: 'ratio',
          },
          {
            benchmark: `sending policy, ${dialect}: submission accepted with the policy (${(perRound * ROUNDS).toLocaleString('en-US')} messages in ${ROUNDS} rounds alternating with the ceiling, ${senders.length} logins, one connection each, From check and DKIM signing)`,
            result: withRate,
            unit: 'msgs/s',
          },
          {
            benchmark: '  ceiling: the same stack with check_policy_service taken out',
            result: withoutRate,
            unit: 'msgs/s',
          },
          {
            benchmark: '  with the policy as a share of without',
            result: withRate / withoutRate,
            unit: 'ratio',
            target: { op: '>', value: 0.8 },
          },
        ];
      } finally {
        if (stack) await stack.stop();
        rmSync(dir, { recursive: true, force: true });
        await drop();
      }
    },
  };
}
