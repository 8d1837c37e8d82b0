import { readdirSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, type Store } from '../../src/store/database.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { DIALECTS, freshStore } from '../support/dialects.js';

const names = MIGRATIONS.map(([name]) => name);

describe('the migration list', () => {
  it('names each migration after its file, in the order Kysely runs them (by name)', () => {
    const files = readdirSync(new URL('../../src/store/migrations/', import.meta.url))
      .filter((f) => /^\d{3}-.*\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''));
    expect(names).toEqual(files.sort());
    expect(names).toEqual([...names].sort());
  });
});

for (const dialect of DIALECTS) {
  describe(`migrations on ${dialect}`, () => {
    let store: Store;
    let drop: () => Promise<void>;
    beforeAll(async () => ({ store, drop } = await freshStore(dialect)));
    afterAll(() => drop());

    it('records every migration once, and a second run applies nothing', async () => {
      const applied = async () =>
        (
          await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
            store.db,
          )
        ).rows.map((r) => r.name);
      expect(await applied()).toEqual(names);
      await migrateToLatest(store);
      expect(await applied()).toEqual(names);
    });
  });
}
