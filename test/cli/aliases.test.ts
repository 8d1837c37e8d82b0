import { beforeAll, describe, expect, it } from 'vitest';
import { createMailbox } from '../../src/services/mailboxes/create-mailbox.js';
import { DIALECTS } from '../support/dialects.js';
import { adminWithJosh, cliOnFreshStore } from './run-cli.js';

for (const dialect of DIALECTS) {
  describe(`mailwright alias on ${dialect}`, () => {
    const t = cliOnFreshStore(dialect);
    const { cli } = t;

    beforeAll(async () => {
      const { ctx, actor } = await adminWithJosh(t.db.store);
      await createMailbox(ctx, actor, {
        name: 'Kim Lee',
        localPart: 'kim',
        domain: 'example.com',
        password: { generate: true },
      });
    });

    it('adds, lists and removes an alias and a catch-all', async () => {
      const add = await cli([
        'alias',
        'add',
        'sales@example.com',
        'josh@example.com',
        'x@partner.example',
      ]);
      expect(add.code, add.stderr).toBe(0);
      expect(add.stdout).toContain('sales@example.com → josh@example.com, x@partner.example');
      const all = await cli(['--json', 'alias', 'add', '@example.com', 'josh@example.com']);
      expect(all.code, all.stderr).toBe(0);
      expect(all.json).toMatchObject({ address: '@example.com', catchAll: true });
      const list = await cli(['alias', 'list']);
      expect(list.stdout).toMatch(/@example\.com\s+josh@example\.com\n.*sales@example\.com/);
      const removed = await cli(['alias', 'remove', '@example.com']);
      expect(removed.code, removed.stderr).toBe(0);
      const json = await cli(['--json', 'alias', 'list']);
      expect(json.json.items.map((a: { address: string }) => a.address)).toEqual([
        'sales@example.com',
      ]);
    });

    it('refuses an alias at a mailbox address and a loop, writing nothing', async () => {
      const taken = await cli(['alias', 'add', 'josh@example.com', 'x@partner.example']);
      expect(taken.code).not.toBe(0);
      expect(taken.stderr).toMatch(/josh@example\.com is a mailbox/);
      const loop = await cli(['alias', 'add', 'b@example.com', 'b@example.com']);
      expect(loop.code).not.toBe(0);
      expect(loop.stderr).toMatch(/itself/);
      const json = await cli(['--json', 'alias', 'list']);
      expect(json.json.items).toHaveLength(1);
    });

    it('forwards a mailbox with and without a copy, shows it, and stops with --off', async () => {
      const on = await cli(['mailbox', 'forward', 'josh@example.com', 'x@partner.example']);
      expect(on.code, on.stderr).toBe(0);
      expect(on.stdout).toContain('josh@example.com: → x@partner.example, keeping a copy');
      const only = await cli([
        '--json',
        'mailbox',
        'forward',
        'josh@example.com',
        'y@partner.example',
        '--no-keep-copy',
      ]);
      expect(only.code, only.stderr).toBe(0);
      expect(only.json.mailbox.forwarding).toEqual({ to: ['y@partner.example'], keepCopy: false });
      const show = await cli(['mailbox', 'show', 'josh@example.com']);
      expect(show.stdout).toMatch(/Forwarding:\s+→ y@partner\.example only/);
      const self = await cli(['mailbox', 'forward', 'josh@example.com', 'josh@example.com']);
      expect(self.code).not.toBe(0);
      expect(self.stderr).toMatch(/itself/);
      const both = await cli(['mailbox', 'forward', 'josh@example.com', 'z@x.example', '--off']);
      expect(both.code).toBe(2);
      const off = await cli(['--json', 'mailbox', 'forward', 'josh@example.com', '--off']);
      expect(off.code, off.stderr).toBe(0);
      expect(off.json.mailbox.forwarding).toBeNull();
    });

    it('previews and forwards every mailbox of a domain as one job with bulk-forward, refusing the target itself on its row', async () => {
      const dry = await cli([
        'mailbox',
        'bulk-forward',
        '--domain',
        'example.com',
        '--to',
        'kim@example.com',
        '--dry-run',
      ]);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toMatch(/josh@example\.com +none +→ kim@example\.com, keeping a copy/);
      expect(dry.stdout).toMatch(/kim@example\.com +none +refused: .*itself.*\(target_is_self\)/);
      expect(dry.stdout).toContain('Dry run: nothing was written.');
      const run = await cli([
        'mailbox',
        'bulk-forward',
        '--domain',
        'example.com',
        '--to',
        'kim@example.com',
        '--to',
        'x@partner.example',
        '--no-keep-copy',
      ]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('✔ josh@example.com updated');
      expect(run.stdout).toMatch(/✘ kim@example\.com: .*itself.*\(target_is_self\)/);
      const josh = await cli(['--json', 'mailbox', 'show', 'josh@example.com']);
      expect(josh.json.forwarding).toEqual({
        to: ['kim@example.com', 'x@partner.example'],
        keepCopy: false,
      });
      const off = await cli(['mailbox', 'bulk-forward', 'josh@example.com', '--off']);
      expect(off.code, off.stderr).toBe(0);
      expect((await cli(['--json', 'mailbox', 'show', 'josh@example.com'])).json.forwarding).toBe(
        null,
      );
      const neither = await cli(['mailbox', 'bulk-forward', '--domain', 'example.com']);
      expect(neither.code).toBe(2);
    });
  });
}
