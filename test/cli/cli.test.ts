import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cliOnFreshStore } from './run-cli.js';
import { testContext } from '../support/context.js';
import { authenticate } from '../../src/services/auth/authenticate.js';
import { DIALECTS } from '../support/dialects.js';

/** The secret on the indented line after "shown once". */
const secretAfterShownOnce = (stdout: string): string => {
  const match = /shown once[^\n]*\n\n {2}(\S+)\n/.exec(stdout);
  expect(match, stdout).not.toBeNull();
  return match![1]!;
};

for (const dialect of DIALECTS) {
  describe(`mailwright CLI on ${dialect}`, () => {
    const t = cliOnFreshStore(dialect, { dns: true });
    const { cli } = t;

    it('names the command that creates a missing acting account', async () => {
      const run = await cli(['domain', 'list']);
      expect(run.code).toBe(4);
      expect(run.stderr).toContain(
        'error: No account admin: create it with `mailwright account create admin`',
      );
      expect(run.stdout).toBe('');
    });

    it('account create prints a working token once', async () => {
      const run = await cli(['account', 'create', 'admin']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('Created account admin');
      expect(run.stdout).toMatch(/shown once/);
      const token = secretAfterShownOnce(run.stdout);
      const ctx = testContext(t.db.store);
      await expect(authenticate(ctx, `Bearer ${token}`)).resolves.toMatchObject({
        accountId: expect.any(String),
      });

      const again = await cli(['account', 'create', 'ADMIN']);
      expect(again.code).toBe(3);
      expect(again.stderr).toContain('error: An account named admin already exists.');
    });

    it('account create and token create --json, for another account', async () => {
      const created = await cli(['--json', 'account', 'create', 'acme']);
      expect(created.code, created.stderr).toBe(0);
      expect(created.json).toMatchObject({
        account: { name: 'acme' },
        token: { id: expect.any(String), token: expect.any(String) },
      });

      const token = await cli(['token', 'create', '--account', 'acme', '--label', 'billing sync']);
      expect(token.code, token.stderr).toBe(0);
      expect(secretAfterShownOnce(token.stdout)).not.toBe(created.json.token.token);

      const unknown = await cli(['token', 'create', '--account', 'nobody']);
      expect(unknown.code).toBe(4);
      expect(unknown.stderr).toContain('mailwright account create nobody');
    });

    it('token create --scope --domain: a narrowed token, refused outside its scopes', async () => {
      const created = await cli([
        '--json',
        'token',
        'create',
        '--account',
        'acme',
        '--scope',
        'mailboxes:read',
        '--scope',
        'domains:read',
        '--domain',
        'Example.COM',
      ]);
      expect(created.code, created.stderr).toBe(0);
      expect(created.json).toMatchObject({
        scopes: ['domains:read', 'mailboxes:read'],
        domains: ['example.com'],
      });
      const bad = await cli(['token', 'create', '--account', 'acme', '--scope', 'root']);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('"root" is not a scope');
    });

    it('domain add with a URL fails with the hint and the field issue', async () => {
      const run = await cli(['domain', 'add', 'https://example.com']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        'error: Enter the domain name only, without https:// — for example example.com.',
      );
      expect(run.stderr).toMatch(/^ {2}name: .*\(has_scheme\)$/m);
      expect(run.stdout).toBe('');
    });

    it('--json errors are the REST API problem object', async () => {
      const run = await cli(['--json', 'domain', 'add', 'https://example.com']);
      expect(run.code).toBe(2);
      expect(run.json).toEqual({
        type: 'urn:mailwright:problem:has_scheme',
        title: 'Invalid input',
        status: 422,
        code: 'has_scheme',
        detail: expect.stringContaining('without https://'),
        errors: [
          { field: 'name', code: 'has_scheme', message: expect.stringContaining('example.com') },
        ],
      });

      const usage = await cli(['mailbox', 'add', '--generate', '--password-stdin', '--json']);
      expect(usage.code).toBe(2);
      expect(usage.json).toMatchObject({ status: 400, code: 'invalid_usage' });
    });

    it('domain add and show print the TXT record to publish', async () => {
      const added = await cli(['domain', 'add', 'Example.COM']);
      expect(added.code, added.stderr).toBe(0);
      const shown = await cli(['domain', 'show', 'example.com', '--json']);
      expect(shown.json).toMatchObject({ name: 'example.com', kind: 'root', status: 'pending' });
      const { host, value } = shown.json.verification;
      expect(host).toBe('_mailwright.example.com');
      for (const text of [added.stdout, (await cli(['domain', 'show', 'example.com'])).stdout]) {
        expect(text).toContain(`Host:  ${host}`);
        expect(text).toContain(`Value: ${value}`);
        expect(text).toContain('mailwright domain verify example.com');
      }
    });

    it('domain verify looks up DNS, and --manual overrides it', async () => {
      const failed = await cli(['domain', 'verify', 'example.com']);
      expect(failed.code).toBe(3);
      expect(failed.stderr).toContain('Publish a TXT record at _mailwright.example.com');

      const manual = await cli(['domain', 'verify', 'example.com', '--manual']);
      expect(manual.code, manual.stderr).toBe(0);
      expect(manual.stdout).toContain('example.com is verified (manual override');

      await cli(['domain', 'add', 'example.org']);
      const record = (await cli(['--json', 'domain', 'show', 'example.org'])).json.verification;
      t.dns.setTxt(record.host, [record.value]);
      const looked = await cli(['--json', 'domain', 'verify', 'example.org']);
      expect(looked.code, looked.stderr).toBe(0);
      expect(looked.json).toMatchObject({ name: 'example.org', status: 'verified' });
    });

    it('subdomain add reads labels from stdin and reports each one', async () => {
      const run = await cli(['subdomain', 'add', 'example.com'], {
        stdin: 'sales\nsupport\nbad.label\n',
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('✔ sales.example.com created');
      expect(run.stdout).toContain('✔ support.example.com created');
      expect(run.stdout).toMatch(/✘ bad\.label rejected: .*\(contains_dot\)/);

      const nothing = await cli(['subdomain', 'add', 'example.com', 'sales', 'x.y']);
      expect(nothing.code).toBe(1);
      expect(nothing.stdout).toMatch(/✘ sales rejected: .*\(exists\)/);

      const args = await cli(['--json', 'subdomain', 'add', 'example.com', 'billing']);
      expect(args.code).toBe(0);
      expect(args.json).toMatchObject({
        created: [{ name: 'billing.example.com', status: 'verified' }],
        rejected: [],
      });
    });

    it('domain list prints a table and the next cursor', async () => {
      const run = await cli(['domain', 'list']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^NAME +KIND +STATUS +PARENT$/m);
      expect(run.stdout).toMatch(/^sales\.example\.com +subdomain +verified +example\.com$/m);

      const first = await cli(['domain', 'list', '--limit', '2']);
      const cursor = /--cursor (\S+)/.exec(first.stdout)?.[1];
      expect(cursor).toBeDefined();
      const next = await cli(['--json', 'domain', 'list', '--limit', '2', '--cursor', cursor!]);
      expect(next.json.items).toHaveLength(2);

      const bad = await cli(['domain', 'list', '--limit', '0']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('(limit_out_of_range)');
    });

    it('mailbox add --generate prints the password once, and nowhere else', async () => {
      const run = await cli([
        'mailbox',
        'add',
        '--name',
        'Josh Smith',
        '--local',
        'josh',
        '--domain',
        'sales.example.com',
        '--generate',
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('Created josh@sales.example.com');
      const password = secretAfterShownOnce(run.stdout);
      expect(password.length).toBeGreaterThanOrEqual(12);
      expect(run.stderr).not.toContain(password);

      const events = await cli(['--json', 'events']);
      expect(events.stdout).not.toContain(password);

      // Generating is the default when no password option is given.
      const byDefault = await cli([
        '--json',
        'mailbox',
        'add',
        '--name',
        'Ann Lee',
        '--local',
        'ann',
        '--domain',
        'example.com',
      ]);
      expect(byDefault.code, byDefault.stdout).toBe(0);
      expect(byDefault.json).toMatchObject({
        mailbox: { address: 'ann@example.com' },
        password: expect.any(String),
      });
    });

    it('mailbox add --password-stdin checks the password in the service', async () => {
      const base = [
        'mailbox',
        'add',
        '--name',
        'Mia Chen',
        '--local',
        'mia',
        '--domain',
        'example.com',
        '--password-stdin',
      ];
      const weak = await cli(base, { stdin: 'password1234\n' });
      expect(weak.code).toBe(2);
      expect(weak.stderr).toMatch(/^ {2}password\.value: .*\(password_weak\)$/m);

      const strong = await cli(base, {
        stdin: 'correct horse battery staple 42\nignored second line\n',
      });
      expect(strong.code, strong.stderr).toBe(0);
      expect(strong.stdout).not.toContain('shown once');
      expect(strong.stdout).not.toContain('correct horse');

      const both = await cli([...base, '--generate']);
      expect(both.code).toBe(2);
      expect(both.stderr).toContain("cannot be used with option '--password-stdin'");

      const tty = await cli(base, { tty: true });
      expect(tty.code).toBe(2);
      expect(tty.stderr).toContain('--password-stdin reads a pipe');
    });

    it('mailbox add reports every missing field and an unverified domain', async () => {
      const missing = await cli(['mailbox', 'add', '--domain', 'example.com']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/^ {2}name: /m);
      expect(missing.stderr).toMatch(/^ {2}localPart: /m);

      await cli(['domain', 'add', 'pending.net']);
      const pending = await cli([
        '--json',
        'mailbox',
        'add',
        '--name',
        'Josh Smith',
        '--local',
        'josh',
        '--domain',
        'pending.net',
      ]);
      expect(pending.code).toBe(3);
      expect(pending.json).toMatchObject({ status: 409, code: 'domain_not_verified' });
    });

    it('mailbox list, show, update and remove', async () => {
      const list = await cli(['--json', 'mailbox', 'list']);
      expect(list.code, list.stderr).toBe(0);
      expect(list.json.items.map((m: { address: string }) => m.address)).toEqual([
        'ann@example.com',
        'josh@sales.example.com',
        'mia@example.com',
      ]);
      expect(list.json.nextCursor).toBeNull();

      const filtered = await cli(['mailbox', 'list', '--domain', 'example.com', '--q', 'mi']);
      expect(filtered.stdout).toMatch(/^mia@example\.com +Mia Chen +1024 MB +0\/500 +active$/m);
      expect(filtered.stdout).not.toContain('ann@');

      const updated = await cli([
        'mailbox',
        'update',
        'MIA@example.com',
        '--disable',
        '--quota-mb',
        '2048',
        '--generate-password',
      ]);
      expect(updated.code, updated.stderr).toBe(0);
      expect(updated.stdout).toMatch(/Status: +disabled/);
      expect(updated.stdout).toMatch(/Quota: +2048 MB/);
      secretAfterShownOnce(updated.stdout);

      expect((await cli(['mailbox', 'update', 'mia@example.com'])).code).toBe(2);
      expect((await cli(['mailbox', 'update', 'mia@example.com', '--quota-mb', 'lots'])).code).toBe(
        2,
      );
      const shown = await cli(['--json', 'mailbox', 'show', 'mia@example.com']);
      expect(shown.json).toMatchObject({ active: false, quotaMb: 2048 });

      const removed = await cli(['mailbox', 'remove', 'mia@example.com']);
      expect(removed.code, removed.stderr).toBe(0);
      const gone = await cli(['mailbox', 'show', 'mia@example.com']);
      expect(gone.code).toBe(4);
      expect(gone.stderr).toContain('error: No mailbox "mia@example.com" in this account.');
    });

    it('domain remove refuses while mailboxes remain', async () => {
      const inUse = await cli(['domain', 'remove', 'example.com']);
      expect(inUse.code).toBe(3);
      expect(inUse.stderr).toContain('remove them first');
      const removed = await cli(['--json', 'domain', 'remove', 'pending.net']);
      expect(removed.code).toBe(0);
      expect(removed.stdout).toBe('');
      expect((await cli(['domain', 'show', 'pending.net'])).code).toBe(4);
    });

    it("another account sees none of admin's data", async () => {
      const run = await cli(['domain', 'list'], { env: { MAILWRIGHT_ACCOUNT: 'acme' } });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('No domains yet');
    });

    it('events show the manual verification by the CLI user', async () => {
      const run = await cli(['events', '--limit', '100']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^\S+ +cli:tester +domain\.verified_manually +example\.com/m);
      const json = await cli(['--json', 'events']);
      expect(json.json.items).toContainEqual(
        expect.objectContaining({
          action: 'domain.verified_manually',
          actor: 'cli:tester',
          target: 'example.com',
        }),
      );
    });
  });
}

describe('mailwright as a real process', () => {
  const exec = promisify(execFile);
  const main = ['--import', 'tsx', join(import.meta.dirname, '../../src/cli/main.ts')];
  const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'mailwright-cli-')), 'cli.db')}`;
  const env = {
    ...process.env,
    MAILWRIGHT_DATABASE_URL: url,
    MAILWRIGHT_ACCOUNT: '',
    MAILWRIGHT_DATA_DIR: mkdtempSync(join(tmpdir(), 'mailwright-cli-')),
  };

  it('--help exits 0', async () => {
    const { stdout } = await exec(process.execPath, [...main, '--help'], { env });
    expect(stdout).toContain('Usage: mailwright');
    expect(stdout).toContain('subdomain');
  });

  it('an error sets the exit code', async () => {
    const failed = await exec(process.execPath, [...main, 'domain', 'list'], { env }).catch(
      (e: unknown) => e,
    );
    expect(failed).toMatchObject({ code: 4, stderr: expect.stringContaining('No account admin') });
  });
});
