import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_BULK_DELETE_DOMAINS,
  MAX_BULK_DELETE_MAILBOXES,
  MAX_SUBDOMAIN_LABELS,
  MAX_SUBDOMAIN_LABELS_TEXT,
} from '../../src/core/limits.js';
import { addSubdomains } from '../../src/services/domains/add-subdomains.js';
import { existingDomainIds, existingDomainNames } from '../../src/store/domains.js';
import { deleteMailboxes, existingAddresses, takenAddresses } from '../../src/store/mailboxes.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';

// Past PostgreSQL's 65,535 bound parameters (and SQLite's 32,766): one list in one query failed.
const HUGE = 70_000;

async function domainCount(h: Harness): Promise<number> {
  const row = await h.ctx.store.db
    .selectFrom('domains')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

for (const dialect of DIALECTS) {
  describe(`lists in request bodies are capped, IN lists chunked, on ${dialect}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(dialect);
      await h.request('POST', '/v1/domains', { body: { name: 'example.com' } });
    });
    afterAll(() => h.close());

    it('refuses more sub-domain labels than the cap with 422 naming it, before any write', async () => {
      const before = await domainCount(h);
      const labels = Array.from({ length: MAX_SUBDOMAIN_LABELS + 1 }, (_, i) => `l${i}`);
      const asArray = await h.request('POST', '/v1/domains/example.com/subdomains', {
        body: { labels },
      });
      expect(asArray.status).toBe(422);
      expect(asArray.body.errors).toEqual([expect.objectContaining({ field: 'labels' })]);
      expect(asArray.body.detail).toContain(`at most ${MAX_SUBDOMAIN_LABELS} sub-domain labels`);

      const longText = await h.request('POST', '/v1/domains/example.com/subdomains', {
        body: { labels: 'x'.repeat(MAX_SUBDOMAIN_LABELS_TEXT + 1) },
      });
      expect(longText.status).toBe(422);
      expect(longText.body.detail).toContain(`${MAX_SUBDOMAIN_LABELS_TEXT} characters`);

      // Short lines of one string within that length: the service counts them before any query.
      const huge = Array.from({ length: MAX_SUBDOMAIN_LABELS * 4 }, (_, i) => `l${i}`).join('\n');
      const started = Date.now();
      const asText = await h.request('POST', '/v1/domains/example.com/subdomains', {
        body: { labels: huge },
      });
      expect(asText.status).toBe(422);
      expect(asText.body.code).toBe('too_many_items');
      expect(asText.body.detail).toContain(`at most ${MAX_SUBDOMAIN_LABELS} sub-domain labels`);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(await domainCount(h)).toBe(before);
    });

    it('the CLI path (the service itself) refuses the same list', async () => {
      await expect(
        addSubdomains(h.ctx, h.alice.actor, 'example.com', {
          labels: Array.from({ length: MAX_SUBDOMAIN_LABELS + 1 }, (_, i) => `l${i}`),
        }),
      ).rejects.toMatchObject({ code: 'too_many_items' });
    });

    it('refuses oversized bulk-delete lists in the schema', async () => {
      const names = await h.request('POST', '/v1/domains/bulk-delete', {
        body: { names: Array.from({ length: HUGE }, (_, i) => `d${i}.com`) },
      });
      expect(names.status).toBe(422);
      expect(names.body.detail).toContain(`at most ${MAX_BULK_DELETE_DOMAINS} domains`);
      const addresses = await h.request('POST', '/v1/mailboxes/bulk-delete', {
        body: {
          addresses: Array.from(
            { length: MAX_BULK_DELETE_MAILBOXES + 1 },
            (_, i) => `m${i}@example.com`,
          ),
        },
      });
      expect(addresses.status).toBe(422);
      expect(addresses.body.detail).toContain(`at most ${MAX_BULK_DELETE_MAILBOXES} addresses`);
    });

    it('openapi.json shows every cap as maxItems', async () => {
      const doc = (await h.request('GET', '/openapi.json', { token: null })).body;
      const body = (path: string) =>
        doc.paths[path].post.requestBody.content['application/json'].schema.properties;
      expect(body('/v1/domains/bulk-delete').names.maxItems).toBe(MAX_BULK_DELETE_DOMAINS);
      expect(body('/v1/mailboxes/bulk-delete').addresses.maxItems).toBe(MAX_BULK_DELETE_MAILBOXES);
      const labels = body('/v1/domains/{name}/subdomains').labels.anyOf;
      expect(labels).toContainEqual(expect.objectContaining({ maxItems: MAX_SUBDOMAIN_LABELS }));
      expect(labels).toContainEqual(
        expect.objectContaining({ maxLength: MAX_SUBDOMAIN_LABELS_TEXT }),
      );
    });

    it('store lookups by list answer for any length', async () => {
      const db = h.ctx.store.db;
      const addresses = Array.from({ length: HUGE }, (_, i) => `m${i}@example.com`);
      expect((await existingAddresses(db, addresses)).size).toBe(0);
      expect((await takenAddresses(db, addresses)).size).toBe(0);
      expect((await deleteMailboxes(db, h.alice.actor.accountId, addresses)).size).toBe(0);
      const names = Array.from({ length: HUGE }, (_, i) => `l${i}.example.com`);
      names.push('example.com');
      expect(await existingDomainNames(db, h.alice.actor.accountId, names)).toEqual(
        new Set(['example.com']),
      );
      expect((await existingDomainIds(db, names)).size).toBe(0);
    });
  });
}
