import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { createAccount } from '../../src/services/accounts/create-account.js';
import type { Actor, ServiceContext } from '../../src/services/context.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { createMailbox } from '../../src/services/mailboxes/create-mailbox.js';
import type { Store } from '../../src/store/database.js';
import type { Dialect } from '../../src/store/dialect.js';
import { testContext } from '../support/context.js';
import { freshStore } from '../support/dialects.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';

type TestStore = Awaited<ReturnType<typeof freshStore>>;

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs). */
  json: any;
}

export type RunOptions = {
  stdin?: string;
  tty?: boolean;
  /** Answers typed at hidden prompts, in order (a terminal run without --password-stdin). */
  prompts?: string[];
  stdoutTTY?: boolean;
  env?: Record<string, string>;
};

/** Runs the whole program in-process with fake streams against `env`'s database. */
export async function runWith(
  env: Record<string, string>,
  args: string[],
  opts: RunOptions = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  let stdinReads = 0;
  const prompts = [...(opts.prompts ?? [])];
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: async () => {
      stdinReads += 1;
      return opts.stdin ?? '';
    },
    stdinIsTTY: opts.tty ?? false,
    promptSecret: async (question) => {
      stderr += question;
      const answer = prompts.shift();
      if (answer === undefined) throw new Error(`unexpected prompt: ${question}`);
      return answer;
    },
    stdoutIsTTY: opts.stdoutTTY ?? false,
    env: { ...env, ...opts.env },
    username: () => 'tester',
  };
  const code = await runCli(io, args);
  expect(stdinReads).toBeLessThanOrEqual(1);
  let json: unknown;
  try {
    json = stdout.trim() ? JSON.parse(stdout) : undefined;
  } catch {
    json = undefined;
  }
  return { code, stdout, stderr, json };
}

/** A fresh store for one describe block, with the environment the CLI runs against it. */
export interface CliOnStore {
  /** Set by the block's first beforeAll, so the block's own hooks can use it. */
  readonly db: TestStore;
  readonly env: Record<string, string>;
  /** The block's DNS server when asked for with `dns: true` (MAILWRIGHT_DNS_SERVERS points at it). */
  readonly dns: TestDnsServer;
  cli(args: string[], opts?: RunOptions): Promise<Run>;
}

/**
 * Registers, in the calling describe block, a fresh store of `dialect` (dropped afterwards), a
 * private data directory and, with `dns: true`, a DNS server on loopback; `env` adds variables.
 */
export function cliOnFreshStore(
  dialect: Dialect,
  opts: { env?: Record<string, string>; dns?: boolean } = {},
): CliOnStore {
  let db: TestStore | undefined;
  let dns: TestDnsServer | undefined;
  let env: Record<string, string> = {};
  beforeAll(async () => {
    db = await freshStore(dialect);
    if (opts.dns) dns = await startDnsServer();
    env = {
      MAILWRIGHT_DATABASE_URL: db.url,
      MAILWRIGHT_DATA_DIR: mkdtempSync(join(tmpdir(), 'mailwright-cli-')),
      ...(dns ? { MAILWRIGHT_DNS_SERVERS: dns.address } : {}),
      ...opts.env,
    };
  });
  afterAll(async () => {
    await dns?.close();
    await db?.drop();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is set up in beforeAll`);
    return value;
  };
  return {
    get db() {
      return ready(db, 'the store');
    },
    get env() {
      return env;
    },
    get dns() {
      return ready(dns, 'the DNS server (dns: true)');
    },
    cli: (args, runOpts) => runWith(env, args, runOpts),
  };
}

/**
 * The account `admin` with the verified domain example.com and its mailbox josh@example.com
 * (Josh Smith, a generated password), written through the services: what the CLI tests of a
 * mailbox's own commands start from. Answers the context and actor to add more with.
 */
export async function adminWithJosh(store: Store): Promise<{ ctx: ServiceContext; actor: Actor }> {
  const ctx = testContext(store);
  const account = await createAccount(ctx, { name: 'admin', actor: 'test' });
  const actor = { accountId: account.id, name: 'test' };
  await addDomain(ctx, actor, { name: 'example.com' });
  await verifyDomain(ctx, actor, 'example.com', { manual: true });
  await createMailbox(ctx, actor, {
    name: 'Josh Smith',
    localPart: 'josh',
    domain: 'example.com',
    password: { generate: true },
  });
  return { ctx, actor };
}
