import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

/**
 * `mailwright mailstack status | head -1`: the reader leaves before the CLI has written all, and
 * the next write meets a closed pipe (EPIPE). The CLI stops there, quietly, as `head`'s writers
 * do, instead of dying with an unhandled 'error' event and its stack trace.
 */
it('stops quietly when its output pipe closes early', async () => {
  const data = mkdtempSync(join(tmpdir(), 'mailwright-pipe-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, '../../src/cli/main.ts'), 'mailstack', 'status'],
    {
      env: { ...process.env, MAILWRIGHT_DATA_DIR: data, MAILWRIGHT_ACCOUNT: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // The reader is gone before the CLI (which takes a moment to start) writes its first line.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
});
