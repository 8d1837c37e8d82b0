import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import Fastify, {
  type FastifyContextConfig,
  type FastifyInstance,
  type RouteOptions,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { AppError } from '../core/errors.js';
import { hasScope, insufficientScope, type Scope } from '../core/token-scopes.js';
import { authenticate } from '../services/auth/authenticate.js';
import {
  authenticateSession,
  checkCsrfToken,
  mayOnlyEnrol,
  SESSION_COOKIE,
  totpEnrolmentRequired,
  type ConsoleSession,
} from '../services/auth/console-session.js';
import type { Actor, ServiceContext } from '../services/context.js';
import { mtaStsMailHostProblem } from '../services/dns-records/get-mta-sts-policy.js';
import { problem } from '../core/problem-details.js';
import { DEFAULT_EDGE_LIMITS, type EdgeLimits } from '../core/http-edge.js';
import {
  acceptEmptyJson,
  edgeOptions,
  hasOverlongSegment,
  type HttpsOptions,
  onEveryRequest,
  refuseControlCharacters,
  uriTooLong,
} from './edge.js';
import { redirectDomainHosts } from './domain-redirect.js';
import { errorToProblem, sendProblem } from './problem.js';
import { aliasRoutes } from './routes/aliases.js';
import { certificateRoutes } from './routes/certificates.js';
import { appPasswordRoutes } from './routes/app-passwords.js';
import { dnsRoutes } from './routes/dns.js';
import { domainRoutes } from './routes/domains.js';
import { eventRoutes } from './routes/events.js';
import { jobRoutes } from './routes/jobs.js';
import { limitRoutes } from './routes/limits.js';
import { mailboxRoutes } from './routes/mailboxes.js';
import { sessionRoutes } from './routes/session.js';
import { tokenRoutes } from './routes/tokens.js';
import { webhookRoutes } from './routes/webhooks.js';
import { DEFAULT_WEB_ROOT, isConsoleNavigation, registerWebConsole } from './web-console.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    /** Set when the request was authenticated by the web console's cookie. */
    consoleSession: ConsoleSession | null;
  }
  interface FastifyContextConfig {
    /**
     * How a /v1 route authenticates: `any` (default) takes a bearer token or the console's
     * cookie, `session` only the cookie, `none` nothing (signing in, the MTA-STS policy).
     */
    auth?: 'any' | 'session' | 'none';
    /**
     * A GET (and its HEAD) with an effect, like the one-time credentials download: a cookie
     * request needs the X-CSRF-Token header as if it were a POST.
     */
    csrfOnRead?: boolean;
    /**
     * Reachable by a session that may only enrol its second factor (its account requires TOTP
     * and the user has none yet); every other route answers 403 totp_enrolment_required.
     */
    totpEnrolment?: boolean;
    /**
     * What an API token needs to call the route (src/core/token-scopes.ts). Required on every
     * route that takes a bearer token: buildApp refuses to start without it, so a new route is
     * never open to every token by accident. openapi.json lists it in the operation's security.
     */
    scope?: Scope;
  }
}

const AUTHORIZATION = 'authorization';

/**
 * The Authorization header, refused when sent more than once: Node keeps only the first, and a
 * proxy in front may read another one.
 */
function singleAuthorization(request: FastifyRequest): string | undefined {
  const raw = request.raw.rawHeaders;
  let sent = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === AUTHORIZATION.length && name.toLowerCase() === AUTHORIZATION) sent++;
  }
  if (sent > 1) {
    throw new AppError(
      'unauthorized',
      'unauthorized',
      'Send one Authorization header, "Authorization: Bearer <token>"; this request has several.',
    );
  }
  return request.headers.authorization;
}

/**
 * A route that takes bearer tokens must say which scope they need; the operation's security in
 * openapi.json then names it. Throws at start-up, so no route ships open to every token.
 */
function declareScope(route: RouteOptions): void {
  const config = (route.config ?? {}) as FastifyContextConfig;
  if ((config.auth ?? 'any') !== 'any') return;
  if (config.scope === undefined) {
    throw new Error(
      `${String(route.method)} ${route.url} has no scope: add config: { scope: '…' } (one of src/core/token-scopes.ts)`,
    );
  }
  route.schema = { ...route.schema, security: [{ bearer: [config.scope] }, { session: [] }] };
}

/** Methods a browser lets other sites trigger freely; they must change nothing. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const API_VERSION = '1.0.0';

export async function buildApp(
  ctx: ServiceContext,
  opts: {
    logger?: FastifyServerOptions['logger'];
    /** PEM certificate chain and key: serve HTTPS (MTA-STS policies must be fetched over it). */
    https?: HttpsOptions;
    /** Directory of the built web console, served at `/`; default `web/dist` of the repository. */
    webRoot?: string;
    /** Timeouts and the per-client connection cap; DEFAULT_EDGE_LIMITS for what is not given. */
    edge?: Partial<EdgeLimits>;
  } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    ...edgeOptions({ ...DEFAULT_EDGE_LIMITS, ...opts.edge }, opts.https),
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  // Said when the server starts, where the operator looks; the policy route refuses meanwhile.
  app.addHook('onListen', async () => {
    const mailHostProblem = mtaStsMailHostProblem(ctx.dnsSettings.mailHost);
    if (mailHostProblem) app.log.warn(mailHostProblem);
  });
  app.setValidatorCompiler(validatorCompiler);
  acceptEmptyJson(app);
  // CSV imports arrive as text; the service parses them.
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  app.setSerializerCompiler(serializerCompiler);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Mailwright API',
        version: API_VERSION,
        description:
          'Provision domains, sub-domains and mailboxes. Errors are RFC 9457 application/problem+json.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description:
              'The web console: set by POST /v1/session; requests other than GET/HEAD/OPTIONS, and the one-time credentials download, also need the X-CSRF-Token header',
          },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  app.setErrorHandler((error, request, reply) =>
    sendProblem(reply, errorToProblem(error, request)),
  );
  app.addHook('onRequest', onEveryRequest);
  app.addHook('onRequest', redirectDomainHosts(ctx));
  await app.register(fastifyCookie);
  const sendConsole = await registerWebConsole(app, opts.webRoot ?? DEFAULT_WEB_ROOT);
  app.setNotFoundHandler((request, reply) =>
    hasOverlongSegment(request.url)
      ? sendProblem(reply, uriTooLong())
      : isConsoleNavigation(request)
        ? sendConsole(reply)
        : sendProblem(
            reply,
            problem(
              404,
              'route_not_found',
              `No route ${request.method} ${request.url.split('?')[0]}; see /openapi.json.`,
            ),
          ),
  );

  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('consoleSession', null);
  // Runs after the cookie plugin's own onRequest hook, which parses request.cookies.
  const authenticateRoute = async (request: FastifyRequest) => {
    // routeOptions is a getter that builds a new object: read it once.
    const config: FastifyContextConfig = request.routeOptions.config;
    const mode = config.auth ?? 'any';
    if (mode === 'none') return;
    const cookie = request.cookies[SESSION_COOKIE];
    // A bearer token wins: it is never sent by a browser on its own, so it needs no CSRF token.
    if (mode === 'any' && (request.headers.authorization !== undefined || cookie === undefined)) {
      request.actor = await authenticate(ctx, singleAuthorization(request));
      const needed = config.scope;
      if (needed && !hasScope(request.actor.access?.scopes ?? [], needed)) {
        throw insufficientScope(needed);
      }
      return;
    }
    const session = await authenticateSession(ctx, cookie);
    if (!SAFE_METHODS.has(request.method) || config.csrfOnRead) {
      const presented = request.headers['x-csrf-token'];
      checkCsrfToken(session, typeof presented === 'string' ? presented : undefined);
    }
    if (mayOnlyEnrol(session.view) && !config.totpEnrolment) {
      throw totpEnrolmentRequired();
    }
    request.consoleSession = session;
    request.actor = session.actor;
  };

  // Every API route is registered in this plugin, whose hook authenticates the route that
  // matched (unless its config says `auth: 'none'`): never a prefix of the URL's text, which
  // may be in absolute form (`GET http://any.host/v1/domains`) and still reach a /v1 route.
  await app.register(async (api) => {
    api.addHook('onRoute', declareScope);
    api.addHook('onRequest', authenticateRoute);
    api.addHook('preValidation', refuseControlCharacters);
    for (const routes of [
      domainRoutes(ctx),
      mailboxRoutes(ctx),
      appPasswordRoutes(ctx),
      aliasRoutes(ctx),
      eventRoutes(ctx),
      limitRoutes(ctx),
      jobRoutes(ctx),
      dnsRoutes(ctx),
      certificateRoutes(ctx),
      sessionRoutes(ctx, { secureCookie: opts.https !== undefined }),
      tokenRoutes(ctx),
      webhookRoutes(ctx),
    ]) {
      await api.register(routes);
    }
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
