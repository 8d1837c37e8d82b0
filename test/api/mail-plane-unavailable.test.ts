import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_CACHE_TTL_SECONDS } from '../../src/core/auth-cache.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { singleMailbox } from '../support/mailbox-fixtures.js';

/** What the doveadm port says when Dovecot runs but refuses the flush (src/mailstack/auth-cache.ts). */
const DOVECOT_SAYS = 'auth-master: auth cache flush failed: Permission denied';

for (const dialect of DIALECTS) {
  describe(`a change to a login while Dovecot cannot be told, on ${dialect}`, () => {
    let h: Harness;
    let flushes = 0;

    /** The mail plane's port fails at its `nth` flush from now (1: inside the transaction). */
    const dovecotFailsAtFlush = (nth: number) => {
      flushes = 0;
      h.ctx.mailPlane = {
        flushAuth: async (addresses) => {
          flushes += 1;
          if (flushes === nth) {
            throw new Error(
              `Dovecot's login cache could not be flushed for ${addresses.join(', ')} (doveadm auth cache flush): ${DOVECOT_SAYS}`,
            );
          }
        },
      };
    };

    const mailbox = async (address: string) =>
      (await h.request('GET', `/v1/mailboxes/${address}`)).body;
    const lastEvent = async () => (await h.request('GET', '/v1/events?limit=1')).body.items[0];

    beforeAll(async () => {
      h = await startHarness(dialect);
      await h.verifiedDomain(h.alice, 'example.com');
      for (const localPart of ['josh', 'ann']) {
        const res = await h.request('POST', '/v1/mailboxes', {
          body: singleMailbox({ localPart }),
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
    });
    afterAll(() => h.close());

    it('answers 503 mail_plane_unavailable and changes nothing when the flush in the change fails', async () => {
      const before = await lastEvent();
      dovecotFailsAtFlush(1);
      const res = await h.request('PATCH', '/v1/mailboxes/josh@example.com', {
        body: { active: false },
      });
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['retry-after']).toBeUndefined();
      expect(res.body).toMatchObject({
        type: 'urn:mailwright:problem:mail_plane_unavailable',
        title: 'Service unavailable',
        status: 503,
        code: 'mail_plane_unavailable',
        saved: false,
      });
      expect(res.body.detail).toMatch(/nothing was changed: retry once Dovecot answers/);
      expect(res.body.detail).toContain('josh@example.com');
      expect(res.body.detail).toContain(DOVECOT_SAYS);
      expect(flushes).toBe(1);
      // Rolled back: still active, and no audit event of a change that did not happen.
      expect((await mailbox('josh@example.com')).active).toBe(true);
      expect(await lastEvent()).toEqual(before);
    });

    it('leaves a mailbox and an app password in place when their removal cannot be flushed', async () => {
      const created = await h.request('POST', '/v1/mailboxes/ann@example.com/app-passwords', {
        body: { label: 'phone' },
      });
      expect(created.status).toBe(201);
      dovecotFailsAtFlush(1);
      const revoked = await h.request(
        'DELETE',
        `/v1/mailboxes/ann@example.com/app-passwords/${created.body.id}`,
      );
      expect(revoked.status).toBe(503);
      expect(revoked.body).toMatchObject({ code: 'mail_plane_unavailable', saved: false });
      const listed = await h.request('GET', '/v1/mailboxes/ann@example.com/app-passwords');
      expect(listed.body.items.map((p: { id: string }) => p.id)).toEqual([created.body.id]);

      dovecotFailsAtFlush(1);
      const deleted = await h.request('DELETE', '/v1/mailboxes/ann@example.com');
      expect(deleted.status).toBe(503);
      expect(deleted.body).toMatchObject({ code: 'mail_plane_unavailable', saved: false });
      expect((await h.request('GET', '/v1/mailboxes/ann@example.com')).status).toBe(200);
    });

    it('says the change is saved, and for how long a cached login may last, when only the flush after the commit fails', async () => {
      dovecotFailsAtFlush(2);
      const res = await h.request('PATCH', '/v1/mailboxes/josh@example.com', {
        body: { active: false },
      });
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'mail_plane_unavailable', saved: true });
      expect(res.body.detail).toMatch(/^The change is saved/);
      expect(res.body.detail).toContain(`for up to ${AUTH_CACHE_TTL_SECONDS} s`);
      expect(res.body.detail).toContain(DOVECOT_SAYS);
      expect(flushes).toBe(2);
      expect((await mailbox('josh@example.com')).active).toBe(false);
      expect(await lastEvent()).toMatchObject({
        action: 'mailbox.updated',
        target: 'josh@example.com',
        details: { fields: ['active'] },
      });
    });

    it('goes through once Dovecot answers', async () => {
      dovecotFailsAtFlush(0);
      const res = await h.request('PATCH', '/v1/mailboxes/josh@example.com', {
        body: { active: true },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.mailbox.active).toBe(true);
      expect(flushes).toBe(2);
    });
  });
}
