import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTotpRequirement } from '../../src/services/accounts/set-totp-requirement.js';
import { resetTotp } from '../../src/services/auth/reset-totp.js';
import {
  createOperator,
  OPERATOR_PASSWORD,
  signIn,
  type ConsoleClient,
} from '../support/console-session.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';

const codeAt = (secret: string, at: Date) =>
  new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: at.getTime() });

for (const dialect of DIALECTS) {
  describe(`operator two-factor sign-in on ${dialect}`, () => {
    let h: Harness;
    let now = new Date('2026-11-25T09:00:00.000Z');
    const advance = (ms: number) => (now = new Date(now.getTime() + ms));

    beforeAll(async () => {
      h = await startHarness(dialect, { clock: () => now });
      await createOperator(h, h.alice.actor, 'jane@example.com');
      await createOperator(h, h.bob.actor, 'bob@example.net');
    });
    afterAll(() => h.close());

    const post = (body: object) =>
      h.app.inject({ method: 'POST', url: '/v1/session', payload: body });

    /** Enrols the signed-in user; the secret and the recovery codes. */
    async function enrol(client: ConsoleClient) {
      const started = await client.request('POST', '/v1/session/totp');
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      const { secret, uri } = started.body as { secret: string; uri: string };
      expect(uri).toMatch(/^otpauth:\/\/totp\/Mailwright:/);
      expect(uri).toContain(`secret=${secret}`);
      expect(uri).toContain('algorithm=SHA1&digits=6&period=30');
      const confirmed = await client.request('POST', '/v1/session/totp/confirm', {
        body: { code: codeAt(secret, now) },
      });
      expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
      return { secret, recoveryCodes: confirmed.body.recoveryCodes as string[] };
    }

    it('enrols, then asks for the code, counts wrong ones and refuses replays', async () => {
      const jane = await signIn(h, 'jane@example.com', OPERATOR_PASSWORD);
      const wrongFirst = await jane.request('POST', '/v1/session/totp/confirm', {
        body: { code: '123456' },
      });
      expect(wrongFirst.body.code).toBe('totp_not_pending');
      const { secret, recoveryCodes } = await enrol(jane);
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      const stored = await h.ctx.store.db.selectFrom('users').selectAll().execute();
      expect(JSON.stringify(stored)).not.toContain(secret);
      const codes = await h.ctx.store.db.selectFrom('recovery_codes').selectAll().execute();
      expect(JSON.stringify(codes)).not.toContain(recoveryCodes[0]!);
      expect((await jane.request('GET', '/v1/session')).body.totp).toEqual({
        enabled: true,
        required: false,
      });

      const again = await jane.request('POST', '/v1/session/totp');
      expect(again.body.code).toBe('totp_already_enabled');

      const noCode = await post({ email: 'jane@example.com', password: OPERATOR_PASSWORD });
      expect(noCode.statusCode).toBe(401);
      expect(noCode.json().code).toBe('totp_required');
      const wrongPassword = await post({ email: 'jane@example.com', password: 'nope nope' });
      expect(wrongPassword.json().code).toBe('invalid_credentials');

      advance(60_000);
      const right = await post({
        email: 'jane@example.com',
        password: OPERATOR_PASSWORD,
        totpCode: codeAt(secret, now),
      });
      expect(right.statusCode, right.body).toBe(200);
      const replay = await post({
        email: 'jane@example.com',
        password: OPERATOR_PASSWORD,
        totpCode: codeAt(secret, now),
      });
      expect(replay.statusCode).toBe(401);
      expect(replay.json().code).toBe('invalid_totp_code');

      const recovery = { email: 'jane@example.com', password: OPERATOR_PASSWORD };
      expect(
        (await post({ ...recovery, totpCode: recoveryCodes[0]!.toUpperCase() })).statusCode,
      ).toBe(200);
      const reused = await post({ ...recovery, totpCode: recoveryCodes[0]! });
      expect(reused.json().code).toBe('invalid_totp_code');

      // Five failures in the window (replay and reuse above count too): the next is refused.
      advance(16 * 60_000);
      for (let i = 0; i < 5; i++) {
        const wrong = await post({ ...recovery, totpCode: '000000' });
        expect(wrong.json().code).toBe('invalid_totp_code');
      }
      advance(90_000);
      const blocked = await post({ ...recovery, totpCode: codeAt(secret, now) });
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json().code).toBe('login_rate_limited');

      advance(16 * 60_000);
      const later = await post({ ...recovery, totpCode: codeAt(secret, now) });
      expect(later.statusCode, later.body).toBe(200);
    });

    it('turns TOTP off only with a code', async () => {
      advance(60_000);
      await createOperator(h, h.alice.actor, 'off@example.com');
      const off = await signIn(h, 'off@example.com', OPERATOR_PASSWORD);
      const { secret } = await enrol(off);
      advance(60_000);
      const wrong = await off.request('DELETE', '/v1/session/totp', { body: { code: '000000' } });
      expect(wrong.status).toBe(422);
      expect(wrong.body.code).toBe('invalid_totp_code');
      const ok = await off.request('DELETE', '/v1/session/totp', {
        body: { code: codeAt(secret, now) },
      });
      expect(ok.status).toBe(204);
      await signIn(h, 'off@example.com', OPERATOR_PASSWORD);
    });

    it('limits a user without TOTP of an account that requires it to enrolling', async () => {
      const before = await signIn(h, 'bob@example.net', OPERATOR_PASSWORD);
      await setTotpRequirement(h.ctx, { account: 'bob', required: true, actor: 'test' });
      // An open session is restricted at its next request.
      const refused = await before.request('GET', '/v1/domains');
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('totp_enrolment_required');

      const bob = await signIn(h, 'bob@example.net', OPERATOR_PASSWORD);
      expect((await bob.request('GET', '/v1/session')).body.totp).toEqual({
        enabled: false,
        required: true,
      });
      expect((await bob.request('GET', '/v1/tokens')).body.code).toBe('totp_enrolment_required');
      const { secret } = await enrol(bob);
      expect((await bob.request('GET', '/v1/domains')).status).toBe(200);
      advance(60_000);
      const off = await bob.request('DELETE', '/v1/session/totp', {
        body: { code: codeAt(secret, now) },
      });
      expect(off.body.code).toBe('totp_required_by_account');
    });

    it('resets a lost device from the CLI service: TOTP and sessions gone', async () => {
      advance(60_000);
      const bob = await signIn(h, 'bob@example.net', OPERATOR_PASSWORD).catch(() => undefined);
      expect(bob).toBeUndefined(); // bob has TOTP on: the helper's password-only sign-in fails
      const live = await post({ email: 'bob@example.net', password: OPERATOR_PASSWORD });
      expect(live.json().code).toBe('totp_required');
      await resetTotp(h.ctx, h.bob.actor, 'Bob@example.net');
      const after = await signIn(h, 'bob@example.net', OPERATOR_PASSWORD);
      expect((await after.request('GET', '/v1/session')).body.totp).toEqual({
        enabled: false,
        required: true,
      });
      await setTotpRequirement(h.ctx, { account: 'bob', required: false, actor: 'test' });
      expect((await after.request('GET', '/v1/domains')).status).toBe(200);
      await expect(resetTotp(h.ctx, h.alice.actor, 'bob@example.net')).rejects.toMatchObject({
        code: 'user_not_found',
      });
    });
  });
}
