import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAccountLimits } from '../../src/services/accounts/set-account-limits.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { singleMailbox } from '../support/mailbox-fixtures.js';

for (const dialect of DIALECTS) {
  describe(`mailbox forwarding on ${dialect}`, () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness(dialect);
      await h.verifiedDomain(h.alice, 'example.com');
      await h.verifiedDomain(h.bob, 'bob.example');
      for (const localPart of ['josh', 'ann', 'kim']) {
        const res = await h.request('POST', '/v1/mailboxes', {
          body: singleMailbox({ localPart, domain: 'example.com' }),
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
    });
    afterAll(() => h.close());

    const forward = (address: string, forwarding: unknown) =>
      h.request('PATCH', `/v1/mailboxes/${address}`, { body: { forwarding } });
    const forwardRows = async () =>
      (await h.ctx.store.db.selectFrom('mailbox_forwards').select('target').execute()).length;
    const forwardingOf = async (address: string) =>
      (await h.request('GET', `/v1/mailboxes/${address}`)).body.forwarding;

    it('shows no forwarding on a new mailbox, in GET and in the list', async () => {
      expect(await forwardingOf('josh@example.com')).toBeNull();
      const list = await h.request('GET', '/v1/mailboxes?q=josh');
      expect(list.body.items[0].forwarding).toBeNull();
    });

    it('forwards with a copy by default, shows it in GET and the list, and removes it with null', async () => {
      const res = await forward('josh@example.com', {
        to: ['Ann@example.com', 'x@partner.example'],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.mailbox.forwarding).toEqual({
        to: ['ann@example.com', 'x@partner.example'],
        keepCopy: true,
      });
      expect(await forwardingOf('josh@example.com')).toEqual({
        to: ['ann@example.com', 'x@partner.example'],
        keepCopy: true,
      });
      const list = await h.request('GET', '/v1/mailboxes?domain=example.com');
      const byAddress = Object.fromEntries(
        list.body.items.map((m: { address: string; forwarding: unknown }) => [
          m.address,
          m.forwarding,
        ]),
      );
      expect(byAddress['josh@example.com']).toEqual({
        to: ['ann@example.com', 'x@partner.example'],
        keepCopy: true,
      });
      expect(byAddress['ann@example.com']).toBeNull();

      const only = await forward('josh@example.com', { to: ['ann@example.com'], keepCopy: false });
      expect(only.body.mailbox.forwarding).toEqual({ to: ['ann@example.com'], keepCopy: false });

      const off = await forward('josh@example.com', null);
      expect(off.status).toBe(200);
      expect(off.body.mailbox.forwarding).toBeNull();
      expect(await forwardRows()).toBe(0);
      const events = await h.ctx.store.db
        .selectFrom('events')
        .select('details')
        .where('action', '=', 'mailbox.updated')
        .where('target', '=', 'josh@example.com')
        .execute();
      expect(events.map((e) => String(e.details))).toContainEqual(
        expect.stringContaining('forwarding'),
      );
    });

    it('feeds the mail_aliases view: with a copy the mailbox and its targets, without only targets', async () => {
      const view = async () =>
        (
          await h.ctx.store.db
            .selectFrom('mail_aliases' as never)
            .select(['target' as never])
            .where('address' as never, '=', 'kim@example.com' as never)
            .execute()
        )
          .map((r) => (r as { target: string }).target)
          .sort();
      expect(await view()).toEqual(['kim@example.com']);
      await forward('kim@example.com', { to: ['ann@example.com'], keepCopy: true });
      expect(await view()).toEqual(['ann@example.com', 'kim@example.com']);
      await forward('kim@example.com', { to: ['ann@example.com'], keepCopy: false });
      expect(await view()).toEqual(['ann@example.com']);
      await forward('kim@example.com', null);
      expect(await view()).toEqual(['kim@example.com']);
    });

    it.each([
      ['the mailbox itself', { to: ['josh@example.com'] }, 'target_is_self', 'forwarding.to.0'],
      ['no targets', { to: [] }, 'required', 'forwarding.to'],
      [
        'a malformed target',
        { to: ['ann@example.com', 'nope'] },
        'invalid_email',
        'forwarding.to.1',
      ],
      [
        'a target twice',
        { to: ['ann@example.com', 'ANN@example.com'] },
        'duplicate_target',
        'forwarding.to.1',
      ],
      [
        'an unknown own address',
        { to: ['ghost@example.com'] },
        'unknown_target',
        'forwarding.to.0',
      ],
    ])(
      'refuses %s with 422 naming the field, writing nothing',
      async (_what, body, code, field) => {
        const before = await forwardRows();
        const res = await forward('josh@example.com', body);
        expect(res.status, JSON.stringify(res.body)).toBe(422);
        expect(res.body.errors).toContainEqual(expect.objectContaining({ field, code }));
        expect(await forwardRows()).toBe(before);
        expect(await forwardingOf('josh@example.com')).toBeNull();
      },
    );

    it('refuses unknown fields and a bad shape at the schema, naming the field', async () => {
      const extra = await forward('josh@example.com', { to: ['ann@example.com'], copy: true });
      expect(extra.status).toBe(422);
      expect(JSON.stringify(extra.body)).toMatch(/copy/);
      const notArray = await forward('josh@example.com', { to: 'ann@example.com' });
      expect(notArray.status).toBe(422);
      expect(JSON.stringify(notArray.body)).toMatch(/forwarding/);
    });

    it('refuses a loop through forwards and aliases (422 routing_cycle), writing nothing', async () => {
      expect((await forward('ann@example.com', { to: ['josh@example.com'] })).status).toBe(200);
      const direct = await forward('josh@example.com', { to: ['ann@example.com'] });
      expect(direct.status, JSON.stringify(direct.body)).toBe(422);
      expect(direct.body.code).toBe('routing_cycle');
      expect(direct.body.errors).toContainEqual(
        expect.objectContaining({ field: 'forwarding.to', code: 'routing_cycle' }),
      );
      expect(direct.body.detail).toContain('josh@example.com → ann@example.com → josh@example.com');
      const alias = await h.request('POST', '/v1/aliases', {
        body: { address: 'team@example.com', targets: ['ann@example.com'] },
      });
      expect(alias.status, JSON.stringify(alias.body)).toBe(201);
      const viaAlias = await forward('josh@example.com', { to: ['team@example.com'] });
      expect(viaAlias.status).toBe(422);
      expect(viaAlias.body.code).toBe('routing_cycle');
      expect(await forwardingOf('josh@example.com')).toBeNull();
      expect((await forward('ann@example.com', null)).status).toBe(200);
      expect((await h.request('DELETE', '/v1/aliases/team@example.com')).status).toBe(204);
    });

    it("answers 404 for a target on another account's hostname, and for another's mailbox", async () => {
      const target = await forward('josh@example.com', { to: ['someone@bob.example'] });
      expect(target.status).toBe(404);
      expect(target.body.code).toBe('target_not_found');
      const other = await h.request('PATCH', '/v1/mailboxes/josh@example.com', {
        body: { forwarding: { to: ['x@partner.example'] } },
        token: h.bob.token,
      });
      expect(other.status).toBe(404);
      expect(await forwardingOf('josh@example.com')).toBeNull();
    });

    it('holds the targets to maxAliasTargets', async () => {
      await setAccountLimits(h.ctx, {
        account: 'alice',
        changes: { maxAliasTargets: 2 },
        actor: 'test',
      });
      const res = await forward('josh@example.com', {
        to: ['a@x.example', 'b@x.example', 'c@x.example'],
      });
      expect(res.status).toBe(422);
      expect(res.body.errors).toContainEqual(
        expect.objectContaining({ field: 'forwarding.to', code: 'limit_exceeded' }),
      );
      expect(await forwardRows()).toBe(0);
      await setAccountLimits(h.ctx, {
        account: 'alice',
        changes: { maxAliasTargets: null },
        actor: 'test',
      });
    });

    it('deletes the forwards with the mailbox', async () => {
      expect((await forward('kim@example.com', { to: ['x@partner.example'] })).status).toBe(200);
      expect((await h.request('DELETE', '/v1/mailboxes/kim@example.com')).status).toBe(204);
      expect(await forwardRows()).toBe(0);
    });
  });
}
