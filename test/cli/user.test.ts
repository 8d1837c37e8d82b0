import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/core/password-hash.js';
import { authenticateSession } from '../../src/services/auth/console-session.js';
import { signIn } from '../../src/services/auth/sign-in.js';
import { testContext } from '../support/context.js';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { runWith, type RunOptions } from './run-cli.js';

const PASSWORD = 'lantern orchard velvet 1987';

for (const dialect of DIALECTS) {
  describe(`mailwright user create on ${dialect}`, () => {
    let db: Awaited<ReturnType<typeof freshStore>>;
    let env: Record<string, string>;
    const cli = (args: string[], opts?: RunOptions) => runWith(env, args, opts);
    const signInAs = (email: string, password: string) =>
      signIn(testContext(db.store), { email, password, ip: '192.0.2.1' });

    beforeAll(async () => {
      db = await freshStore(dialect);
      env = { MAILWRIGHT_DATABASE_URL: db.url };
      expect((await cli(['account', 'create', 'acme'])).code).toBe(0);
    });
    afterAll(() => db?.drop());

    it('creates a user whose piped password signs in', async () => {
      const run = await cli(
        ['user', 'create', '--account', 'acme', '--email', 'Jane@Example.com', '--password-stdin'],
        { stdin: `${PASSWORD}\n` },
      );
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('Created user jane@example.com of account acme');
      expect(run.stdout).not.toContain(PASSWORD);
      const signedIn = await signInAs('jane@example.com', PASSWORD);
      expect(signedIn.session.account.name).toBe('acme');
      const row = await db.store.db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', 'jane@example.com')
        .executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^\{ARGON2ID\}\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      await expect(verifyPassword(PASSWORD, row.password_hash)).resolves.toBe(true);
    });

    it('--generate prints a working password once, and --json carries it', async () => {
      const run = await cli([
        'user',
        'create',
        '--account',
        'acme',
        '--email',
        'gen@example.com',
        '--generate',
      ]);
      expect(run.code, run.stderr).toBe(0);
      const password = /shown once[^\n]*\n\n {2}(\S+)\n/.exec(run.stdout)?.[1];
      expect(password).toMatch(/^[A-Za-z0-9]{24}$/);
      await expect(signInAs('gen@example.com', password!)).resolves.toBeDefined();

      const json = await cli([
        '--json',
        'user',
        'create',
        '--account',
        'acme',
        '--email',
        'json@example.com',
        '--generate',
      ]);
      expect(json.code, json.stderr).toBe(0);
      expect(json.json).toEqual({
        user: { id: expect.any(String), email: 'json@example.com' },
        password: expect.stringMatching(/^[A-Za-z0-9]{24}$/),
      });
      await expect(signInAs('json@example.com', json.json.password)).resolves.toBeDefined();
    });

    it('asks twice on a terminal and refuses two different answers', async () => {
      const typed = await cli(
        ['user', 'create', '--account', 'acme', '--email', 'tty@example.com'],
        {
          tty: true,
          prompts: [PASSWORD, PASSWORD],
        },
      );
      expect(typed.code, typed.stderr).toBe(0);
      expect(typed.stderr).toContain('Password: ');
      expect(typed.stderr).toContain('Repeat the password: ');
      await expect(signInAs('tty@example.com', PASSWORD)).resolves.toBeDefined();

      const typo = await cli(
        ['user', 'create', '--account', 'acme', '--email', 'typo@example.com'],
        {
          tty: true,
          prompts: [PASSWORD, `${PASSWORD}x`],
        },
      );
      expect(typo.code).toBe(2);
      expect(typo.stderr).toContain('the two passwords differ');
      const rows = await db.store.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'typo@example.com')
        .execute();
      expect(rows).toEqual([]);
    });

    it('says how to give the password when there is no terminal to ask on', async () => {
      const run = await cli(['user', 'create', '--account', 'acme', '--email', 'pipe@example.com']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--password-stdin');
      expect(run.stderr).toContain('--generate');
    });

    it('refuses a weak password, a bad email and a taken email with the field named', async () => {
      const weak = await cli(
        [
          '--json',
          'user',
          'create',
          '--account',
          'acme',
          '--email',
          'not an email',
          '--password-stdin',
        ],
        { stdin: 'password123\n' },
      );
      expect(weak.code).toBe(2);
      expect(weak.json.errors.map((e: { field: string }) => e.field)).toEqual([
        'email',
        'password',
      ]);

      const taken = await cli(
        ['user', 'create', '--account', 'acme', '--email', 'JANE@example.com', '--password-stdin'],
        { stdin: `${PASSWORD}\n` },
      );
      expect(taken.code).toBe(3);
      expect(taken.stderr).toContain('jane@example.com already exists');

      const unknown = await cli([
        'user',
        'create',
        '--account',
        'nobody',
        '--email',
        'x@example.com',
        '--generate',
      ]);
      expect(unknown.code).toBe(4);
      expect(unknown.stderr).toContain('mailwright account create nobody');
    });
  });

  describe(`mailwright user list and remove on ${dialect}`, () => {
    let db: Awaited<ReturnType<typeof freshStore>>;
    let env: Record<string, string>;
    const cli = (args: string[], opts?: RunOptions) => runWith(env, args, opts);

    beforeAll(async () => {
      db = await freshStore(dialect);
      env = { MAILWRIGHT_DATABASE_URL: db.url };
      for (const name of ['acme', 'other']) {
        expect((await cli(['account', 'create', name])).code).toBe(0);
      }
      for (const [account, email] of [
        ['acme', 'zoe@example.com'],
        ['acme', 'adam@example.com'],
        ['other', 'eve@example.com'],
      ] as const) {
        const run = await cli(
          ['user', 'create', '--account', account, '--email', email, '--password-stdin'],
          { stdin: `${PASSWORD}\n` },
        );
        expect(run.code, run.stderr).toBe(0);
      }
    });
    afterAll(() => db?.drop());

    it("lists the account's users by email, without another account's", async () => {
      const run = await cli(['--json', 'user', 'list', '--account', 'acme']);
      expect(run.code, run.stderr).toBe(0);
      const items = (run.json as { items: { email: string }[] }).items;
      expect(items.map((u) => u.email)).toEqual(['adam@example.com', 'zoe@example.com']);
      expect(JSON.stringify(run.json)).not.toMatch(/ARGON2ID|password/i);
      expect((await cli(['user', 'list', '--account', 'acme'])).stdout).toMatch(
        /^EMAIL +CREATED\nadam@example.com/,
      );
    });

    it('removes a user and ends their open sessions at once', async () => {
      const ctx = testContext(db.store);
      const { secret } = await signIn(ctx, {
        email: 'zoe@example.com',
        password: PASSWORD,
        ip: '192.0.2.1',
      });
      const run = await cli(['user', 'remove', '--account', 'acme', 'Zoe@Example.com']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('Removed user zoe@example.com');
      await expect(authenticateSession(ctx, secret)).rejects.toMatchObject({
        kind: 'unauthorized',
      });
      await expect(
        signIn(ctx, { email: 'zoe@example.com', password: PASSWORD, ip: '192.0.2.2' }),
      ).rejects.toMatchObject({ code: 'invalid_credentials' });
    });

    it("answers not found for an unknown user and for another account's", async () => {
      for (const email of ['nobody@example.com', 'eve@example.com']) {
        const run = await cli(['--json', 'user', 'remove', '--account', 'acme', email]);
        expect(run.code).toBe(4);
        expect(run.json).toMatchObject({ code: 'user_not_found' });
      }
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`mailwright user totp-reset and account require-2fa on ${dialect}`, () => {
    let db: Awaited<ReturnType<typeof freshStore>>;
    let env: Record<string, string>;
    const cli = (args: string[], opts?: RunOptions) => runWith(env, args, opts);

    beforeAll(async () => {
      db = await freshStore(dialect);
      env = { MAILWRIGHT_DATABASE_URL: db.url };
      expect((await cli(['account', 'create', 'acme'])).code).toBe(0);
      const created = await cli(
        ['user', 'create', '--account', 'acme', '--email', 'jane@example.com', '--password-stdin'],
        { stdin: `${PASSWORD}\n` },
      );
      expect(created.code, created.stderr).toBe(0);
    });
    afterAll(() => db?.drop());

    it('requires TOTP of an account, then lifts it', async () => {
      const on = await cli(['account', 'require-2fa', 'acme', 'on']);
      expect(on.code, on.stderr).toBe(0);
      expect(on.stdout).toContain('must now sign in with TOTP');
      const row = await db.store.db
        .selectFrom('accounts')
        .select('require_totp')
        .where('name', '=', 'acme')
        .executeTakeFirstOrThrow();
      expect(Number(row.require_totp)).toBe(1);
      const bad = await cli(['account', 'require-2fa', 'acme', 'maybe']);
      expect(bad.code).toBe(2);
      expect((await cli(['account', 'require-2fa', 'acme', 'off'])).code).toBe(0);
    });

    it('resets a user’s TOTP and ends their sessions', async () => {
      const user = await db.store.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'jane@example.com')
        .executeTakeFirstOrThrow();
      await db.store.db
        .updateTable('users')
        .set({ totp_secret_sealed: 'v1.x', totp_confirmed_at: '2026-01-01T00:00:00.000Z' })
        .where('id', '=', user.id)
        .execute();
      await db.store.db
        .insertInto('recovery_codes')
        .values({ user_id: user.id, code_hash: 'h' })
        .execute();
      const run = await cli([
        'user',
        'totp-reset',
        '--account',
        'acme',
        '--email',
        'Jane@example.com',
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('Two-factor sign-in of jane@example.com is off');
      const after = await db.store.db
        .selectFrom('users')
        .select(['totp_secret_sealed', 'totp_confirmed_at'])
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(after).toEqual({ totp_secret_sealed: null, totp_confirmed_at: null });
      expect(await db.store.db.selectFrom('recovery_codes').selectAll().execute()).toEqual([]);
      const signedIn = await signIn(testContext(db.store), {
        email: 'jane@example.com',
        password: PASSWORD,
        ip: '192.0.2.1',
      });
      expect(signedIn.session.totp.enabled).toBe(false);
      const missing = await cli([
        'user',
        'totp-reset',
        '--account',
        'acme',
        '--email',
        'x@example.com',
      ]);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain('x@example.com');
    });
  });
}
