import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/core/password-hash.js';
import { HashPool } from '../../src/services/jobs/support/hash-pool.js';

describe('hash pool', () => {
  it('hashes on worker threads in the form Dovecot reads, each verifying', async () => {
    const pool = new HashPool(2);
    const plains = Array.from({ length: 6 }, (_, i) => `correct horse ${i}`);
    const hashes = await Promise.all(plains.map((p) => pool.hash(p)));
    for (const [i, hash] of hashes.entries()) {
      expect(hash).toMatch(/^\{ARGON2ID\}\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(await verifyPassword(plains[i]!, hash)).toBe(true);
    }
    expect(new Set(hashes).size).toBe(plains.length);
  });

  it('lets a process that used it exit on its own, and keeps it alive while hashing', async () => {
    const script = join(mkdtempSync(join(tmpdir(), 'mailwright-pool-')), 'use-pool.mts');
    const pool = pathToFileURL(
      new URL('../../src/services/jobs/support/hash-pool.ts', import.meta.url).pathname,
    );
    writeFileSync(
      script,
      `import { sharedHashPool } from ${JSON.stringify(pool.href)};\n` +
        `const hash = await sharedHashPool(2).hash('x');\nconsole.log(hash.length > 50 ? 'hashed' : 'bad');\n`,
    );
    const started = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
      timeout: 15_000,
    });
    expect(stdout.trim()).toBe('hashed');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
