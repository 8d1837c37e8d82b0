import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { openContext } from '../../src/app/open-context.js';
import { verifyPassword } from '../../src/core/password-hash.js';
import { createAccount } from '../../src/services/accounts/create-account.js';
import { signingKeys } from '../../src/services/dns-records/signing-keys.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { createMailbox } from '../../src/services/mailboxes/create-mailbox.js';
import { openStore } from '../../src/store/database.js';
import { DIALECTS, freshStore, PG_URL } from '../support/dialects.js';
import { runWith } from './run-cli.js';

const PASSWORD = 'Correct-Horse-Battery-42';

/**
 * `mailwright backup` / `restore` through the CLI: backup → wipe → restore, and the mailbox's
 * old password still verifies against the restored hash, the DKIM keys unseal with the restored
 * server key. The mail plane receiving again after a restore is test/mailstack/backup-restore.
 */
describe.each(DIALECTS)('mailwright backup and restore on %s', (dialect) => {
  /** A host: its database (filled through the services), data dir, DKIM keys directory. */
  const host = async () => {
    const fresh = await freshStore(dialect);
    await fresh.store.close();
    const root = mkdtempSync(join(tmpdir(), 'mailwright-backup-'));
    const env = {
      MAILWRIGHT_DATABASE_URL: fresh.url,
      MAILWRIGHT_DATA_DIR: join(root, 'data'),
      MAILWRIGHT_DKIM_KEYS_DIR: join(root, 'dkim'),
    };
    const { ctx, close } = await openContext(loadConfig(env));
    try {
      const account = await createAccount(ctx, { name: 'acme', actor: 'test' });
      const actor = { accountId: account.id, name: 'test' };
      await addDomain(ctx, actor, { name: 'backup.example' });
      await verifyDomain(ctx, actor, 'backup.example', { manual: true });
      await createMailbox(ctx, actor, {
        name: 'Josh Smith',
        localPart: 'josh',
        domain: 'backup.example',
        password: { generate: false, value: PASSWORD },
      });
    } finally {
      await close();
    }
    // What `mailstack sync` would have written there.
    mkdirSync(env.MAILWRIGHT_DKIM_KEYS_DIR, { mode: 0o700 });
    writeFileSync(join(env.MAILWRIGHT_DKIM_KEYS_DIR, 'backup.example.key'), 'PEM', { mode: 0o600 });
    return { root, env, url: fresh.url };
  };

  /** Everything gone but the empty data dir: the database, the key, the DKIM keys. */
  const wipe = async (env: Record<string, string>, url: string) => {
    if (dialect === 'sqlite') {
      const path = url.slice('sqlite:'.length);
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    } else {
      const schema = /search_path=(\w+)/.exec(decodeURIComponent(url))![1]!;
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    }
    rmSync(join(env.MAILWRIGHT_DATA_DIR!, 'secret.key'));
    rmSync(env.MAILWRIGHT_DKIM_KEYS_DIR!, { recursive: true });
  };

  it('brings back the database, the server key and the DKIM keys: the old password verifies', async () => {
    const { root, env, url } = await host();
    const dir = join(root, 'backup');
    const made = await runWith(env, ['--json', 'backup', dir]);
    expect(made.code, made.stderr + made.stdout).toBe(0);
    expect(made.json.files.map((f: { part: string }) => f.part)).toEqual([
      'database',
      'secret-key',
      'dkim-keys',
    ]);
    // The server key and every DKIM private key: the owner's alone.
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(dir)) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
    const key = readFileSync(join(env.MAILWRIGHT_DATA_DIR, 'secret.key'), 'utf8');

    await wipe(env, url);
    const restored = await runWith(env, ['restore', dir]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain(`restored from ${dir}`);

    expect(readFileSync(join(env.MAILWRIGHT_DATA_DIR, 'secret.key'), 'utf8')).toBe(key);
    expect(statSync(join(env.MAILWRIGHT_DATA_DIR, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(env.MAILWRIGHT_DKIM_KEYS_DIR, 'backup.example.key'), 'utf8')).toBe(
      'PEM',
    );
    const store = openStore(url);
    try {
      const row = await store.db
        .selectFrom('mailboxes')
        .select('password_hash')
        .where('address', '=', 'josh@backup.example')
        .executeTakeFirstOrThrow();
      expect(await verifyPassword(PASSWORD, row.password_hash)).toBe(true);
    } finally {
      await store.close();
    }
    // The DKIM keys sealed in the database open with the restored server key.
    const { ctx, close } = await openContext(loadConfig(env));
    try {
      expect((await signingKeys(ctx)).map((k) => k.domain)).toEqual(['backup.example']);
    } finally {
      await close();
    }
  });

  it('refuses a non-empty backup directory, and a host with data unless --force', async () => {
    const { root, env } = await host();
    const dir = join(root, 'backup');
    expect((await runWith(env, ['backup', dir])).code).toBe(0);
    const again = await runWith(env, ['--json', 'backup', dir]);
    expect(again.code).toBe(3);
    expect(again.json.code).toBe('backup_dir_not_empty');

    const refused = await runWith(env, ['--json', 'restore', dir]);
    expect(refused.code).toBe(3);
    expect(refused.json).toMatchObject({ code: 'restore_target_not_empty' });
    expect(refused.json.detail).toMatch(/the database has tables; .*secret\.key exists; .*--force/);

    const forced = await runWith(env, ['restore', '--force', dir]);
    expect(forced.code, forced.stderr).toBe(0);
    const notABackup = await runWith(env, ['--json', 'restore', root]);
    expect(notABackup.json.code).toBe('not_a_backup');
  });
});
