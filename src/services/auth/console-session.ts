import { AppError } from '../../core/errors.js';
import { hashToken, sameSecret } from '../../core/secret-token.js';
import { deleteSession, findSession, touchSession } from '../../store/sessions.js';
import type { Actor, ServiceContext } from '../context.js';

/**
 * Web console sessions end 12 h after sign-in whatever happens (a stolen cookie is worth a
 * working day at most), and earlier after 2 h without a request (a console left open on a shared
 * machine). last_seen_at is written at most once a minute, so browsing stays mostly reads.
 */
export const SESSION_POLICY = {
  lifetimeMs: 12 * 60 * 60 * 1000,
  idleMs: 2 * 60 * 60 * 1000,
  touchEveryMs: 60 * 1000,
} as const;

export const SESSION_COOKIE = 'mw_session';

/** What the console learns about itself on sign-in and on reload. */
export interface SessionView {
  user: { id: string; email: string };
  account: { id: string; name: string };
  /** Sent back as X-CSRF-Token on every state-changing request. */
  csrfToken: string;
  /**
   * The user's second factor. `required` without `enabled` is a session that may only enrol
   * (see `mayOnlyEnrol`).
   */
  totp: { enabled: boolean; required: boolean };
}

export interface ConsoleSession {
  /** The stored id: SHA-256 of the cookie's secret. */
  id: string;
  actor: Actor;
  view: SessionView;
}

export const userActorName = (email: string): string => `user:${email}`;

const signedOut = () =>
  new AppError(
    'unauthorized',
    'unauthorized',
    'You are not signed in, or your session has ended: sign in again.',
  );

/** The live session behind a cookie's secret; a missing, unknown or ended one is a 401. */
export async function authenticateSession(
  ctx: ServiceContext,
  secret: string | undefined,
): Promise<ConsoleSession> {
  if (!secret) throw signedOut();
  const id = hashToken(secret);
  const found = await findSession(ctx.store.db, id);
  if (!found) throw signedOut();
  const now = ctx.clock();
  const idle = now.getTime() - Date.parse(found.lastSeenAt);
  if (now.getTime() >= Date.parse(found.expiresAt) || idle >= SESSION_POLICY.idleMs) {
    await deleteSession(ctx.store.db, id);
    throw signedOut();
  }
  if (idle >= SESSION_POLICY.touchEveryMs) await touchSession(ctx.store.db, id, now.toISOString());
  return {
    id,
    actor: { accountId: found.accountId, name: userActorName(found.email) },
    view: {
      user: { id: found.userId, email: found.email },
      account: { id: found.accountId, name: found.accountName },
      csrfToken: found.csrfToken,
      totp: { enabled: found.totpEnabled, required: found.totpRequired },
    },
  };
}

/**
 * A user whose account requires TOTP and who has none yet gets a session that reaches only
 * the routes marked for enrolment: enough to set up TOTP from the console, nothing else. It is
 * read at every request, so turning the requirement on restricts open sessions at once.
 */
export const mayOnlyEnrol = (view: SessionView): boolean =>
  view.totp.required && !view.totp.enabled;

export const totpEnrolmentRequired = (): AppError =>
  new AppError(
    'forbidden',
    'totp_enrolment_required',
    'Your account requires two-factor sign-in: set up an authenticator app (POST /v1/session/totp, then confirm a code) before doing anything else.',
  );

/**
 * A cookie rides along on any request the browser makes, including ones another site triggers;
 * only the console's own script can read the CSRF token and echo it in a header.
 */
export function checkCsrfToken(session: ConsoleSession, presented: string | undefined): void {
  if (presented === undefined || !sameSecret(presented, session.view.csrfToken)) {
    throw new AppError(
      'forbidden',
      'csrf_failed',
      'This request did not carry the console’s security token (X-CSRF-Token): reload the page and try again.',
    );
  }
}
