import { AppError } from '../../core/errors.js';
import { normaliseEmail } from '../../core/operator-email.js';
import { hashPassword, verifyPassword } from '../../core/password-hash.js';
import { generateSecret, hashToken } from '../../core/secret-token.js';
import { appendEvent } from '../../store/events.js';
import { deleteLoginAttemptsOf } from '../../store/login-attempts.js';
import { deleteExpiredSessions, insertSession } from '../../store/sessions.js';
import { findUserForSignIn } from '../../store/users.js';
import { SESSION_POLICY, userActorName, type SessionView } from './console-session.js';
import type { ServiceContext } from '../context.js';
import { reserveLoginAttempt } from './support/login-rate-limit.js';

export interface SignInInput {
  email: string;
  password: string;
  /** The client's address, for the per-client rate limit. */
  ip: string;
  /** The request's Origin and Host headers, when sent. */
  origin?: string;
  host?: string;
}

const invalidCredentials = () =>
  new AppError('unauthorized', 'invalid_credentials', 'Email or password is wrong.');

let dummyHash: Promise<string> | undefined;

/**
 * Email and password to a new console session. An unknown email costs the same argon2id
 * verification as a known one and gets the same answer, so neither the reply nor its timing
 * tells which addresses have users.
 */
export async function signIn(
  ctx: ServiceContext,
  input: SignInInput,
): Promise<{ secret: string; session: SessionView }> {
  assertSameSite(input.origin, input.host);
  const email = normaliseEmail(input.email);
  await reserveLoginAttempt(ctx, { email, ip: input.ip });

  const user = await findUserForSignIn(ctx.store.db, email);
  dummyHash ??= hashPassword(generateSecret());
  const valid = await verifyPassword(input.password, user?.passwordHash ?? (await dummyHash));
  if (!user || !valid) throw invalidCredentials();

  const secret = generateSecret();
  const csrfToken = generateSecret();
  const now = ctx.clock();
  const nowIso = now.toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    // Includes this attempt's own record: a right password clears the email's failures.
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
