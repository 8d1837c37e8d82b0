import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/** Starts the real server process as `npm start` would, and collects what it prints. */
function startServer(
  databaseUrl: string,
): Promise<{ proc: ChildProcess; output: string; url: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
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
