import { AppError } from '../../core/errors.js';
import { normaliseEmail } from '../../core/operator-email.js';
import { hashPassword, verifyPassword } from '../../core/password-hash.js';
import { generateSecret, hashToken } from '../../core/secret-token.js';
import { appendEvent } from '../../store/events.js';
import { deleteLoginAttempt, deleteLoginAttemptsOf } from '../../store/login-attempts.js';
import { deleteExpiredSessions, insertSession } from '../../store/sessions.js';
import { findUserForSignIn } from '../../store/users.js';
import { SESSION_POLICY, userActorName, type SessionView } from './console-session.js';
import type { ServiceContext } from '../context.js';
import { reserveLoginAttempt } from './support/login-rate-limit.js';
import { checkSecondFactor, wrongTotpCode } from './support/second-factor.js';

export interface SignInInput {
  email: string;
  password: string;
  /** The TOTP code or a recovery code, when the user has TOTP on. */
  totpCode?: string;
  /** The client's address, for the per-client rate limit. */
  ip: string;
  /** The request's Origin and Host headers, when sent. */
  origin?: string;
  host?: string;
}

const totpRequired = () =>
  new AppError(
    'unauthorized',
    'totp_required',
    'Enter the 6-digit code from your authenticator app (or one of your recovery codes) as totpCode.',
  );

const invalidCredentials = () =>
  new AppError('unauthorized', 'invalid_credentials', 'Email or password is wrong.');

let dummyHash: Promise<string> | undefined;

/**
 * Email and password to a new console session. An unknown email costs the same argon2id
 * verification as a known one and gets the same answer, so neither the reply nor its timing
 * tells which addresses have users.
 *
 * With TOTP on, the code is asked for only after a right password, and a wrong code counts as a
 * failed sign-in like a wrong password: the attempt's record stays. A right password alone
 * therefore clears nothing, or whoever knows it could guess codes without limit.
 */
export async function signIn(
  ctx: ServiceContext,
  input: SignInInput,
): Promise<{ secret: string; session: SessionView }> {
  assertSameSite(input.origin, input.host);
  const email = normaliseEmail(input.email);
  const attemptId = await reserveLoginAttempt(ctx, { email, ip: input.ip });

  const user = await findUserForSignIn(ctx.store.db, email);
  dummyHash ??= hashPassword(generateSecret());
  const valid = await verifyPassword(input.password, user?.passwordHash ?? (await dummyHash));
  if (!user || !valid) throw invalidCredentials();
  if (user.totp.confirmedAt !== null) {
    if (input.totpCode === undefined || input.totpCode.trim() === '') {
      // Nothing was guessed: the console asks for the code and sends both again.
      await deleteLoginAttempt(ctx.store.db, attemptId);
      throw totpRequired();
    }
    if (!(await checkSecondFactor(ctx, user, input.totpCode))) throw wrongTotpCode();
  }

  const secret = generateSecret();
  const csrfToken = generateSecret();
  const now = ctx.clock();
  const nowIso = now.toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    // Includes this attempt's own record: a sign-in that succeeds clears the email's failures.
    await deleteLoginAttemptsOf(trx, email);
    await deleteExpiredSessions(
      trx,
      nowIso,
      new Date(now.getTime() - SESSION_POLICY.idleMs).toISOString(),
    );
    await insertSession(trx, {
      id: hashToken(secret),
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: nowIso,
      expires_at: new Date(now.getTime() + SESSION_POLICY.lifetimeMs).toISOString(),
      last_seen_at: nowIso,
    });
    await appendEvent(trx, {
      accountId: user.accountId,
      actor: userActorName(user.email),
      action: 'user.signed_in',
      target: user.email,
      now: nowIso,
    });
  });
  return {
    secret,
    session: {
      user: { id: user.id, email: user.email },
      account: { id: user.accountId, name: user.accountName },
      csrfToken,
      totp: { enabled: user.totp.confirmedAt !== null, required: user.totp.required },
    },
  };
}

/**
 * Sign-in needs no CSRF token (there is no session yet), but a page on another site must not
 * sign the browser in to an account of the attacker's choosing ("login CSRF"): browsers send
 * Origin on cross-site POSTs, and it must then name this server.
 */
function assertSameSite(origin: string | undefined, host: string | undefined): void {
  if (origin === undefined) return;
  const site = hostOf(origin);
  if (site === undefined || host === undefined || site !== hostOf(origin, host)) {
    throw new AppError(
      'forbidden',
      'csrf_failed',
      `Sign in from the console served by this server, not from ${origin}: reload the page and try again.`,
    );
  }
}

/**
 * `host:port` of a URL (or of `host` under the URL's scheme), without the scheme's default
 * port, so `Origin: http://localhost` matches `Host: localhost:80`. Undefined when unparsable
 * (e.g. `Origin: null` from a sandboxed page).
 */
function hostOf(origin: string, host?: string): string | undefined {
  try {
    const url = new URL(origin);
    return host === undefined ? url.host : new URL(`${url.protocol}//${host}`).host;
  } catch {
    return undefined;
  }
}
