import { execFile } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argon2MemoryFile } from '../../src/mailstack/argon2-memory.js';
import { dovecotConfigFile } from '../../src/mailstack/render.js';
import { HASH_PARAMS } from '../../src/core/password-hash.js';
import { createAccount } from '../../src/services/accounts/create-account.js';
import { setAccountLimits } from '../../src/services/accounts/set-account-limits.js';
import type { Actor, ServiceContext } from '../../src/services/context.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { createMailbox } from '../../src/services/mailboxes/create-mailbox.js';
import { testContext } from '../support/context.js';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { imapLogInWorks } from '../support/imap-login.js';
import { startMailStack, type MailStack } from '../support/mail-stack.js';

const run = promisify(execFile);
const DOMAIN = 'sessions.example';

/** The pids of the running Dovecot master's children named `comm` (as /proc/<pid>/stat has it). */
function dovecotChildren(stack: MailStack, comm: string): number[] {
  const pidFile = join(stack.settings.dirs.run, 'dovecot', 'master.pid');
  const master = readFileSync(pidFile, 'utf8').trim();
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        return false; // exited meanwhile
      }
      // "pid (comm) state ppid …": comm may hold spaces, so split after its closing parenthesis.
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
      return name === comm && ppid === master;
    })
    .map(Number);
}

/** A connection to the IMAP port that has read the greeting and sent nothing. */
const greeted = (port: number): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', reject);
    socket.once('data', (chunk) =>
      String(chunk).startsWith('* OK') ? resolve(socket) : reject(new Error(String(chunk))),
    );
  });

/**
 * Dovecot's `imap-login` and `imap` processes serve more than one connection
 * (src/mailstack/render.ts, docs/mail-plane.md "Logins"): a login process per core takes every
 * connection until its login, and a process that served one mailbox serves the next login as
 * that login's mailbox, and nothing of the previous one.
 */
describe.each(DIALECTS)('IMAP sessions in reused processes on %s', (dialect) => {
  let stack: MailStack;
  let ctx: ServiceContext;
  let actor: Actor;
  let closeStore: () => Promise<void> = async () => {};

  const newMailbox = async (localPart: string) => {
    const created = await createMailbox(ctx, actor, {
      name: 'Session Person',
      localPart,
      domain: DOMAIN,
      password: { generate: true },
      quotaMb: 100,
    });
    return { address: created.mailbox.address, password: created.password! };
  };

  /** The pid of the `imap` process serving `user`'s one open session (doveadm who). */
  const servingPid = async (user: string): Promise<number> => {
    const conf = dovecotConfigFile(stack.settings);
    const { stdout } = await run('doveadm', ['-c', conf, 'who', '-1', user]);
    const pids = stdout
      .split('\n')
      .filter((line) => line.startsWith(`${user} `))
      .map((line) => Number(/\bimap\b\s+(\d+)/.exec(line)?.[1]));
    expect(pids, stdout).toHaveLength(1);
    return pids[0]!;
  };

  /** A session of `box`: runs `use` with it open, then logs out. */
  const session = async <T>(
    box: { address: string; password: string },
    use: (client: ImapFlow, pid: number) => Promise<T>,
  ): Promise<T> => {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: stack.settings.ports.imap,
      secure: false,
      logger: false,
      auth: { user: box.address, pass: box.password },
    });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await use(client, await servingPid(box.address));
    } finally {
      await client.logout();
    }
  };

  const inboxMessages = async (client: ImapFlow) => {
    const status = await client.status('INBOX', { messages: true });
    return status === false ? undefined : status.messages;
  };

  beforeAll(async () => {
    const { store, url, drop } = await freshStore(dialect);
    closeStore = drop;
    ctx = testContext(store);
    const account = await createAccount(ctx, { name: 'sessions', actor: 'test' });
    actor = { accountId: account.id, name: 'test' };
    await setAccountLimits(ctx, {
      account: 'sessions',
      changes: { cooldownSeconds: 0 },
      actor: 'test',
    });
    await addDomain(ctx, actor, { name: DOMAIN });
    await verifyDomain(ctx, actor, DOMAIN, { manual: true });
    stack = await startMailStack(url, `mx.${DOMAIN}`);
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await closeStore();
  }, 60_000);

  it('takes more connections before their login than it has login processes, one per core', async () => {
    const cores = availableParallelism();
    const sockets = await Promise.all(
      Array.from({ length: 2 * cores + 1 }, () => greeted(stack.settings.ports.imap)),
    );
    try {
      expect(dovecotChildren(stack, 'imap-login')).toHaveLength(cores);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });

  it("serves the next mailbox's session in the same process, with only that mailbox's mail", async () => {
    const first = await newMailbox('first');
    const second = await newMailbox('second');
    const served = await session(first, async (client, pid) => {
      await client.append('INBOX', 'Subject: only for first\r\n\r\nhello\r\n');
      expect(await inboxMessages(client)).toBe(1);
      return pid;
    });
    const servedNext = await session(second, async (client, pid) => {
      expect(await inboxMessages(client)).toBe(0);
      expect((await client.list()).map((m) => m.path).sort()).toEqual(
        ['Drafts', 'INBOX', 'Junk', 'Sent', 'Trash'].sort(),
      );
      return pid;
    });
    // Sessions one after another: the process that served the first serves the second.
    expect(servedNext).toBe(served);
    await session(first, async (client) => expect(await inboxMessages(client)).toBe(1));
  });

  it("verifies first logins in auth workers that keep argon2id's memory, wiped, between them", async () => {
    const logIn = async (localPart: string) => {
      const box = await newMailbox(localPart);
      expect(await imapLogInWorks(stack, box.address, box.password)).toBe(true);
      return box;
    };
    const size = HASH_PARAMS.memoryCost * 1024;
    // The first verification maps the memory the worker then keeps.
    await logIn('warm');
    const library = argon2MemoryFile(stack.settings);
    // The auth processes are Dovecot's `auth`; the workers are the ones started `auth -w`.
    const workers = dovecotChildren(stack, 'auth').filter((pid) =>
      readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('-w'),
    );
    expect(workers.length).toBeGreaterThan(0);
    for (const pid of workers) {
      expect(readFileSync(`/proc/${pid}/maps`, 'utf8')).toContain(library);
    }
    const before = minorFaults(workers);
    for (const localPart of ['one', 'two', 'three']) await logIn(localPart);
    const wrong = await newMailbox('wrong');
    expect(await imapLogInWorks(stack, wrong.address, `${wrong.password}x`)).toBe(false);
    expect(await imapLogInWorks(stack, wrong.address, wrong.password)).toBe(true);
    // Five verifications, each of which faulted in all its pages without the library.
    expect(minorFaults(workers) - before).toBeLessThan(size / 4096);
    // Nothing of a verification outlives it: the kept memory reads as zero between logins.
    const kept = workers.flatMap((pid) => keptRegion(pid, size) ?? []);
    expect(kept.length).toBeGreaterThan(0);
    for (const bytes of kept) expect(bytes.equals(Buffer.alloc(size))).toBe(true);
  });
});

/** Minor page faults of these processes so far (/proc/<pid>/stat's tenth field). */
const minorFaults = (pids: number[]): number =>
  pids.reduce((sum, pid) => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return sum + Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
  }, 0);

/** The bytes of `pid`'s anonymous mapping of exactly `size` bytes, if it has one. */
function keptRegion(pid: number, size: number): Buffer | undefined {
  const line = readFileSync(`/proc/${pid}/maps`, 'utf8')
    .split('\n')
    .find((l) => {
      const [range, , , , inode, path] = l.split(/\s+/);
      const [from, to] = (range ?? '').split('-').map((h) => parseInt(h, 16));
      return to! - from! === size && inode === '0' && !path;
    });
  if (!line) return undefined;
  const from = parseInt(line.split('-')[0]!, 16);
  const fd = openSync(`/proc/${pid}/mem`, 'r');
  try {
    const bytes = Buffer.alloc(size);
    readSync(fd, bytes, 0, size, from);
    return bytes;
  } finally {
    closeSync(fd);
  }
}
