import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dovecotConfigFile } from '../../src/mailstack/render.js';
import { createAccount } from '../../src/services/accounts/create-account.js';
import type { Actor, ServiceContext } from '../../src/services/context.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { createMailbox } from '../../src/services/mailboxes/create-mailbox.js';
import { testContext } from '../support/context.js';
import { DIALECTS, freshStore } from '../support/dialects.js';
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
});
