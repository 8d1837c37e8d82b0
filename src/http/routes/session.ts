import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  LOGIN_LIMITS,
  MAX_SIGN_IN_EMAIL_LENGTH,
  MAX_SIGN_IN_PASSWORD_LENGTH,
} from '../../core/sign-in-limits.js';
import { SESSION_COOKIE } from '../../services/auth/console-session.js';
import type { ServiceContext } from '../../services/context.js';
import { signIn } from '../../services/auth/sign-in.js';
import { signOut } from '../../services/auth/sign-out.js';
import { ProblemSchema, strictFields } from '../schemas.js';

const SessionSchema = z
  .object({
    user: z.object({ id: z.string(), email: z.string() }),
    account: z.object({ id: z.string(), name: z.string() }),
    csrfToken: z
      .string()
      .describe('Send it as X-CSRF-Token on every request other than GET, HEAD and OPTIONS'),
  })
  .meta({ id: 'Session' });

const SignInBody = strictFields({
  email: z.string().max(MAX_SIGN_IN_EMAIL_LENGTH),
  password: z.string().max(MAX_SIGN_IN_PASSWORD_LENGTH),
});

/**
 * The web console's sign-in. The cookie is HttpOnly (scripts, hence XSS, cannot read it),
 * SameSite=Strict (other sites' requests do not carry it), Secure when served over HTTPS; the
 * server keeps only its SHA-256. See docs/web-console-auth.md.
 */
export const sessionRoutes =
  (ctx: ServiceContext, opts: { secureCookie: boolean }): FastifyPluginAsyncZod =>
  async (app) => {
    const cookieOptions = {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      secure: opts.secureCookie,
    } as const;

    app.post('/v1/session', {
      config: { auth: 'none' },
      schema: {
        tags: ['session'],
        summary: 'Sign in to the web console with email and password',
        description:
          'Sets the mw_session cookie. Wrong email and wrong password get the same 401; ' +
          `${LOGIN_LIMITS.perEmail} failures per email or ${LOGIN_LIMITS.perIp} per client in ${LOGIN_LIMITS.windowSeconds / 60} minutes get a 429 with Retry-After.`,
        security: [],
        body: SignInBody,
        response: {
          200: SessionSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          422: ProblemSchema,
          429: ProblemSchema,
        },
      },
      handler: async (req, reply) => {
        const { secret, session } = await signIn(ctx, {
          email: req.body.email,
          password: req.body.password,
          ip: req.ip,
          ...(req.headers.origin === undefined ? {} : { origin: req.headers.origin }),
          ...(req.headers.host === undefined ? {} : { host: req.headers.host }),
        });
        reply.setCookie(SESSION_COOKIE, secret, cookieOptions);
        return session;
      },
    });

    app.get('/v1/session', {
      config: { auth: 'session' },
      schema: {
        tags: ['session'],
        summary: 'The signed-in user, their account and the CSRF token of the session',
        security: [{ session: [] }],
        response: { 200: SessionSchema, 401: ProblemSchema },
      },
      handler: async (req) => req.consoleSession!.view,
    });

    app.delete('/v1/session', {
      config: { auth: 'session' },
      schema: {
        tags: ['session'],
        summary: 'Sign out: the session ends on the server and the cookie is cleared',
        security: [{ session: [] }],
        response: { 204: z.null(), 401: ProblemSchema, 403: ProblemSchema },
      },
      handler: async (req, reply) => {
        await signOut(ctx, req.consoleSession!);
        reply.clearCookie(SESSION_COOKIE, cookieOptions);
        return reply.code(204).send(null);
      },
    });
  };
