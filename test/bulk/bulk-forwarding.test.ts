import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import type { Harness } from '../support/harness.js';
import { call, runJobs, setLimits, startWithBulkMailboxes } from './bulk-support.js';

for (const dialect of DIALECTS) {
  describe(`forwarding many mailboxes on ${dialect}`, () => {
    let h: Harness;
    let keep: string[];
    let other: string[];

    const forwardingOf = async (address: string) =>
      (await call(h, 'GET', `/v1/mailboxes/${address}`)).body.forwarding;
    const jobCount = async () => (await call(h, 'GET', '/v1/jobs')).body.items.length;

    beforeAll(async () => {
      let addresses;
      ({ h, addresses } = await startWithBulkMailboxes(dialect, ['keep.com', 'other.com']));
      keep = addresses['keep.com']!;
      other = addresses['other.com']!;
    });
    afterAll(() => h.close());

    it('previews each mailbox before and after with dryRun, writing nothing', async () => {
      const res = await call(h, 'POST', '/v1/mailboxes/bulk-forwarding', {
        body: { domains: ['keep.com'], forwarding: { to: [other[0]] }, dryRun: true },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.body.preview.mailboxes).toEqual(
        keep.map((address) => ({
          address,
          before: null,
          after: { to: [other[0]], keepCopy: true },
          changed: true,
          refused: null,
        })),
      );
      expect(await forwardingOf(keep[0]!)).toBeNull();
      expect(await jobCount()).toBe(2);
    });

    it('forwards every mailbox of the hostnames as a job, refusing the target itself and a loop on their own rows', async () => {
      // other[1] already forwards to keep[0]: keep[0] → other[1] would close a loop.
      const patch = await call(h, 'PATCH', `/v1/mailboxes/${other[1]}`, {
        body: { forwarding: { to: [keep[0]] } },
      });
      expect(patch.status, patch.text).toBe(200);
      const body = { domains: ['keep.com', 'other.com'], forwarding: { to: [other[1]] } };
      const dry = await call(h, 'POST', '/v1/mailboxes/bulk-forwarding', {
        body: { ...body, dryRun: true },
      });
      expect(dry.status, dry.text).toBe(200);
      const refusals = Object.fromEntries(
        dry.body.preview.mailboxes.map((m: { address: string; refused: { code: string } }) => [
          m.address,
          m.refused?.code ?? null,
        ]),
      );
      expect(refusals).toEqual({
        [keep[0]!]: 'routing_cycle',
        [keep[1]!]: null,
        [keep[2]!]: null,
        [other[0]!]: null,
        [other[1]!]: 'target_is_self',
        [other[2]!]: null,
      });

      const res = await call(h, 'POST', '/v1/mailboxes/bulk-forwarding', { body });
      expect(res.status, res.text).toBe(202);
      expect(res.body.job).toMatchObject({ kind: 'bulk_set_forwarding', total: 6 });
      expect(res.body.addresses).toEqual([...keep, ...other]);
      await runJobs(h);
      const job = (await call(h, 'GET', `/v1/jobs/${res.body.job.id}`)).body;
      expect(job).toMatchObject({ done: 4, failed: 2 });
      expect(
        job.errors.map((e: { address: string; code: string }) => `${e.address} ${e.code}`).sort(),
      ).toEqual([`${keep[0]} routing_cycle`, `${other[1]} target_is_self`].sort());
      for (const address of [keep[1], keep[2], other[0], other[2]]) {
        expect(await forwardingOf(address!)).toEqual({ to: [other[1]], keepCopy: true });
      }
      expect(await forwardingOf(keep[0]!)).toBeNull();
      expect(await forwardingOf(other[1]!)).toEqual({ to: [keep[0]], keepCopy: true });
      const events = (await call(h, 'GET', '/v1/events')).body.items.map(
        (e: { action: string; target: string }) => `${e.action} ${e.target}`,
      );
      expect(events).toContain(`mailbox.updated ${keep[1]}`);
      expect(events).toContain('bulk_set_forwarding.requested 6 mailbox(es)');
    });

    it('refuses at run time a loop closed after the request was accepted', async () => {
      await call(h, 'PATCH', `/v1/mailboxes/${other[1]}`, { body: { forwarding: null } });
      const res = await call(h, 'POST', '/v1/mailboxes/bulk-forwarding', {
        body: { addresses: [other[1]], forwarding: { to: [keep[0]], keepCopy: false } },
      });
      expect(res.status, res.text).toBe(202);
      // keep[0] → keep[1] → other[1]: other[1] → keep[0] now closes a loop.
      const patch = await call(h, 'PATCH', `/v1/mailboxes/${keep[0]}`, {
        body: { forwarding: { to: [keep[1]] } },
      });
      expect(patch.status, patch.text).toBe(200);
      await runJobs(h);
      const job = (await call(h, 'GET', `/v1/jobs/${res.body.job.id}`)).body;
      expect(job).toMatchObject({ done: 0, failed: 1 });
      expect(job.errors[0]).toMatchObject({ address: other[1], code: 'routing_cycle' });
      expect(await forwardingOf(other[1]!)).toBeNull();
    });

    it('stops the forwarding of listed mailboxes with null', async () => {
      const res = await call(h, 'POST', '/v1/mailboxes/bulk-forwarding', {
        body: { addresses: [keep[0], keep[1]], forwarding: null },
      });
      expect(res.status, res.text).toBe(202);
      await runJobs(h);
      expect(await forwardingOf(keep[0]!)).toBeNull();
      expect(await forwardingOf(keep[1]!)).toBeNull();
      expect(await forwardingOf(keep[2]!)).toEqual({ to: [other[1]], keepCopy: true });
    });

    it('refuses a rule every mailbox breaks with one 4xx naming the field, and writes nothing', async () => {
      await setLimits(h, { maxAliasTargets: 2 });
      const jobsBefore = await jobCount();
      const to = (targets: string[]) => ({ domains: ['keep.com'], forwarding: { to: targets } });
      const refusals = [
        [{ forwarding: { to: [other[0]] } }, 'addresses', 'required'],
        [{ ...to([other[0]!]), addresses: [keep[0]] }, 'addresses', 'required'],
        [{ domains: ['keep.com', 'KEEP.com'], forwarding: null }, 'domains.1', 'duplicate'],
        [{ addresses: ['nobody@keep.com'], forwarding: null }, 'addresses.0', 'mailbox_not_found'],
        [to(['not an address']), 'forwarding.to.0', 'invalid_address'],
        [to(['nobody@other.com']), 'forwarding.to.0', 'unknown_target'],
        [to([]), 'forwarding.to', 'required'],
        [to([other[0]!, other[2]!, 'x@elsewhere.example']), 'forwarding.to', 'limit_exceeded'],
      ] as const;
      for (const [body, field, code] of refusals) {
        const res = await call(h, 'POST', '/v1/mailboxes/bulk-forwarding', { body });
        expect(res.status, JSON.stringify(body)).toBe(422);
        expect(res.body.errors, JSON.stringify(body)).toContainEqual(
          expect.objectContaining({ field, ...(code === 'invalid_address' ? {} : { code }) }),
        );
      }
      // Another account's hostname is a missing one.
      const theirs = await call(h, 'POST', '/v1/mailboxes/bulk-forwarding', {
        body: to([other[0]!]),
        token: h.bob.token,
      });
      expect(theirs.status).toBe(404);
      expect(await jobCount()).toBe(jobsBefore);
      expect(await forwardingOf(keep[2]!)).toEqual({ to: [other[1]], keepCopy: true });
    });
  });
}
