import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateToLatest, openStore, type Store } from '../../src/store/database.js';
import type { Dialect } from '../../src/store/dialect.js';

/** Every store and API suite runs once per dialect, against real databases, never a mock. */
export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

export const PG_URL =
  process.env.MAILWRIGHT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A fresh, migrated database: a new SQLite file, or a new PostgreSQL schema (so test files run
 * in parallel on one database without seeing each other). Returns the URL too, for processes
 * (CLI, server) that open it themselves.
 */
export async function freshStore(
  dialect: Dialect,
): Promise<{ store: Store; url: string; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'mailwright-test-')), 'test.db')}`;
    const store = openStore(url);
    await migrateToLatest(store);
    return { store, url, drop: () => store.close() };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const store = openStore(url);
  await migrateToLatest(store);
  return {
    store,
    url,
    async drop() {
      await store.close();
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    },
  };
}
