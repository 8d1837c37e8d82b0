import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildRelease, startServerProcess } from './support/server-process.js';

/** The real server process as `npm start` runs it (from the sources unless `args` say). */
const startServer = (databaseUrl: string, args?: string[], cwd?: string) =>
  startServerProcess(
    { MAILWRIGHT_DATABASE_URL: databaseUrl },
    { ...(args ? { args } : {}), ...(cwd ? { cwd } : {}) },
  ).then((server) => ({ ...server, output: server.output() }));

describe('server start on the embedded SQLite default', () => {
  const running: ChildProcess[] = [];
  afterEach(() => {
    for (const p of running.splice(0)) p.kill('SIGTERM');
  });

  it('prints its URL and, only on an empty database, a one-time admin token that works', async () => {
    const db = `sqlite:${join(mkdtempSync(join(tmpdir(), 'mailwright-server-')), 'data', 'mailwright.db')}`;
    const first = await startServer(db);
    running.push(first.proc);
    const token = /^\s+(mw_[\w-]{43})$/m.exec(first.output)?.[1];
    expect(token, first.output).toBeDefined();
    const ok = await fetch(`${first.url}/v1/domains`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ items: [], nextCursor: null });
    first.proc.kill('SIGTERM');
    await new Promise((r) => first.proc.once('exit', r));

    const second = await startServer(db);
    running.push(second.proc);
    expect(second.output).not.toMatch(/mw_[\w-]{43}/);
    const still = await fetch(`${second.url}/v1/domains`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(still.status).toBe(200);
    // Two process starts; generous because the whole suite shares two cores with it.
  }, 120_000);
});

describe('server start from a symlinked install directory', () => {
  let proc: ChildProcess | undefined;
  let root: string | undefined;
  afterEach(() => {
    proc?.kill('SIGTERM');
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('listens when started through a link to the release directory, as the systemd unit does', async () => {
    // docs/deployment.md's layout: /opt/mailwright -> a release directory, and the unit runs
    // `node /opt/mailwright/dist/server.js`, so argv[1] names the link and not the real file.
    const release = await buildRelease();
    root = release.root;
    const installed = join(root, 'mailwright');
    symlinkSync(root, installed);

    const db = `sqlite:${join(root, 'data', 'mailwright.db')}`;
    // From another directory, as systemd starts it (WorkingDirectory is / by default).
    const started = await startServer(db, [join(installed, 'dist', 'server.js')], root);
    proc = started.proc;
    expect(started.output).toMatch(/Mailwright is listening on http:\/\/127\.0\.0\.1:\d+/);
    expect((await fetch(`${started.url}/openapi.json`)).status).toBe(200);
  }, 120_000);
});
