import type { Actor } from '../../src/services/context.js';
import { createUser } from '../../src/services/accounts/create-user.js';
import type { Harness } from './harness.js';

/** Passes the password rules (long, unrelated words); for test users only. */
export const OPERATOR_PASSWORD = 'correct horse battery staple 42';

/** An operator of `actor`'s account who can sign in to the web console. */
export function createOperator(
  h: Harness,
  actor: Actor,
  email: string,
  password = OPERATOR_PASSWORD,
): Promise<{ id: string; email: string }> {
  return createUser(h.ctx, { accountId: actor.accountId, email, password, actor: 'test' });
}

export interface ConsoleClient {
  /** `mw_session=<secret>`, as a browser would send it. */
  cookie: string;
  csrfToken: string;
  /** Sends a request as the signed-in console: the cookie, and the CSRF token unless `csrf: false`. */
  request(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    opts?: { body?: unknown; csrf?: boolean },
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
}

/** Signs in through POST /v1/session, as the console does; throws unless it answers 200. */
export async function signIn(h: Harness, email: string, password: string): Promise<ConsoleClient> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/v1/session',
    payload: { email, password },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in answered ${res.statusCode}: ${res.body}`);
  const session = res.cookies.find((c) => c.name === 'mw_session');
  if (!session) throw new Error('sign-in set no mw_session cookie');
  const cookie = `mw_session=${session.value}`;
  const csrfToken = (JSON.parse(res.body) as { csrfToken: string }).csrfToken;
  return {
    cookie,
    csrfToken,
    async request(method, path, opts = {}) {
      const reply = await h.app.inject({
        method,
        url: path,
        headers: { cookie, ...(opts.csrf === false ? {} : { 'x-csrf-token': csrfToken }) },
        ...(opts.body === undefined ? {} : { payload: opts.body as object }),
      });
      return {
        status: reply.statusCode,
        body: reply.body ? JSON.parse(reply.body) : undefined,
        headers: reply.headers,
      };
    },
  };
}
