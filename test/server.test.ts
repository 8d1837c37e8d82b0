import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * Starts the real server process as `npm start` would (by default from the sources; `args` name
 * another entry), and collects what it prints.
 */
function startServer(
  databaseUrl: string,
  args: string[] = ['--import', 'tsx', 'src/server.ts'],
  cwd = process.cwd(),
): Promise<{ proc: ChildProcess; output: string; url: string }> {
  const proc = spawn(process.execPath, args, {
    cwd,
    env: {
      ...process.env,
      MAILWRIGHT_DATABASE_URL: databaseUrl,
      MAILWRIGHT_LISTEN: '127.0.0.1:0',
      MAILWRIGHT_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 45_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      // The banner, token included, ends with the API reference line.
      if (url && output.includes('API reference')) {
        clearTimeout(timer);
        resolve({ proc, output, url });
        proc.stdout?.off('data', onData);
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

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
    root = mkdtempSync(join(tmpdir(), 'mailwright-release-'));
    const release = join(root, 'release-1');
    // `npm run build`'s tsc step, without the type check (the type-check step does that).
    await promisify(execFile)(process.execPath, [
      resolve('node_modules/typescript/bin/tsc'),
      '-p',
      'tsconfig.json',
      '--noCheck',
      '--outDir',
      join(release, 'dist'),
    ]);
    copyFileSync('package.json', join(release, 'package.json'));
    symlinkSync(resolve('node_modules'), join(release, 'node_modules'));
    const installed = join(root, 'mailwright');
    symlinkSync(release, installed);

    const db = `sqlite:${join(root, 'data', 'mailwright.db')}`;
    // From another directory, as systemd starts it (WorkingDirectory is / by default).
    const started = await startServer(db, [join(installed, 'dist', 'server.js')], root);
    proc = started.proc;
    expect(started.output).toMatch(/Mailwright is listening on http:\/\/127\.0\.0\.1:\d+/);
    expect((await fetch(`${started.url}/openapi.json`)).status).toBe(200);
  }, 120_000);
});
