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
import { MAX_TOTP_CODE_LENGTH, TOTP_POLICY } from '../../core/totp.js';
import { confirmTotp } from '../../services/auth/confirm-totp.js';
import { disableTotp } from '../../services/auth/disable-totp.js';
import { startTotpEnrolment } from '../../services/auth/start-totp-enrolment.js';
import { ProblemSchema, strictFields } from '../schemas.js';

const SessionSchema = z
  .object({
    user: z.object({ id: z.string(), email: z.string() }),
    account: z.object({ id: z.string(), name: z.string() }),
    csrfToken: z
      .string()
      .describe('Send it as X-CSRF-Token on every request other than GET, HEAD and OPTIONS'),
    totp: z
      .object({ enabled: z.boolean(), required: z.boolean() })
      .describe(
        'Two-factor sign-in of the user. required && !enabled: the session may only enrol (other routes answer 403 totp_enrolment_required)',
      ),
  })
  .meta({ id: 'Session' });

const SignInBody = strictFields({
  email: z.string().max(MAX_SIGN_IN_EMAIL_LENGTH),
  password: z.string().max(MAX_SIGN_IN_PASSWORD_LENGTH),
  totpCode: z
    .string()
    .max(MAX_TOTP_CODE_LENGTH)
    .optional()
    .describe(
      'The authenticator app’s current code, or a recovery code; asked for by 401 totp_required',
    ),
});

const TotpCodeBody = strictFields({
  code: z
    .string()
    .max(MAX_TOTP_CODE_LENGTH)
    .describe(
      `The app’s current ${TOTP_POLICY.digits}-digit code (or, to disable, a recovery code)`,
    ),
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
          'a user with TOTP on gets 401 totp_required without totpCode, and a wrong code counts like a wrong password; ' +
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
          ...(req.body.totpCode === undefined ? {} : { totpCode: req.body.totpCode }),
          ip: req.ip,
          ...(req.headers.origin === undefined ? {} : { origin: req.headers.origin }),
          ...(req.headers.host === undefined ? {} : { host: req.headers.host }),
        });
        reply.setCookie(SESSION_COOKIE, secret, cookieOptions);
        return session;
      },
    });

    app.get('/v1/session', {
      config: { auth: 'session', totpEnrolment: true },
      schema: {
        tags: ['session'],
        summary: 'The signed-in user, their account and the CSRF token of the session',
        security: [{ session: [] }],
        response: { 200: SessionSchema, 401: ProblemSchema },
      },
      handler: async (req) => req.consoleSession!.view,
    });

    app.delete('/v1/session', {
      config: { auth: 'session', totpEnrolment: true },
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

    app.post('/v1/session/totp', {
      config: { auth: 'session', totpEnrolment: true },
      schema: {
        tags: ['session'],
        summary: 'Start setting up two-factor sign-in (TOTP) for the signed-in user',
        description:
          'Answers a new secret and its otpauth:// URI, shown once; TOTP is on only after POST /v1/session/totp/confirm. ' +
          `RFC 6238: ${TOTP_POLICY.algorithm}, ${TOTP_POLICY.digits} digits, ${TOTP_POLICY.periodSeconds} s.`,
        security: [{ session: [] }],
        response: {
          201: z.object({ secret: z.string(), uri: z.string() }).meta({ id: 'TotpEnrolment' }),
          401: ProblemSchema,
          403: ProblemSchema,
          409: ProblemSchema,
        },
      },
      handler: async (req, reply) =>
        reply.code(201).send(await startTotpEnrolment(ctx, req.consoleSession!)),
    });

    app.post('/v1/session/totp/confirm', {
      config: { auth: 'session', totpEnrolment: true },
      schema: {
        tags: ['session'],
        summary: 'Turn two-factor sign-in on with a first code from the app',
        description: `Answers ${TOTP_POLICY.recoveryCodes} one-time recovery codes, shown once.`,
        security: [{ session: [] }],
        body: TotpCodeBody,
        response: {
          200: z.object({ recoveryCodes: z.array(z.string()) }).meta({ id: 'TotpRecoveryCodes' }),
          401: ProblemSchema,
          403: ProblemSchema,
          409: ProblemSchema,
          422: ProblemSchema,
        },
      },
      handler: async (req) => confirmTotp(ctx, req.consoleSession!, req.body.code),
    });

    app.delete('/v1/session/totp', {
      config: { auth: 'session' },
      schema: {
        tags: ['session'],
        summary: 'Turn two-factor sign-in off, given a current code or a recovery code',
        description:
          'Wrong codes count toward the sign-in limits (429 login_rate_limited); 409 when the account requires TOTP.',
        security: [{ session: [] }],
        body: TotpCodeBody,
        response: {
          204: z.null(),
          401: ProblemSchema,
          403: ProblemSchema,
          409: ProblemSchema,
          422: ProblemSchema,
          429: ProblemSchema,
        },
      },
      handler: async (req, reply) => {
        await disableTotp(ctx, req.consoleSession!, { code: req.body.code, ip: req.ip });
        return reply.code(204).send(null);
      },
    });
  };
