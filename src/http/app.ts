import http from 'node:http';
import https from 'node:https';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { authenticate } from '../services/authenticate.js';
import type { Actor, ServiceContext } from '../services/context.js';
import { problem } from '../core/problem-details.js';
import { errorToProblem, sendProblem } from './problem.js';
import { dnsRoutes } from './routes/dns.js';
import { domainRoutes } from './routes/domains.js';
import { eventRoutes } from './routes/events.js';
import { jobRoutes } from './routes/jobs.js';
import { limitRoutes } from './routes/limits.js';
import { mailboxRoutes } from './routes/mailboxes.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
}

export const API_VERSION = '1.0.0';

export async function buildApp(
  ctx: ServiceContext,
  opts: {
    logger?: FastifyServerOptions['logger'];
    /** PEM certificate chain and key: serve HTTPS (MTA-STS policies must be fetched over it). */
    https?: { cert: Buffer; key: Buffer };
  } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    // Fastify's types tie HTTPS to a different instance type; requests and routes are the same.
    ...(opts.https
      ? {
          serverFactory: (handler: http.RequestListener) =>
            https.createServer(opts.https!, handler) as unknown as http.Server,
        }
      : {}),
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
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
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  app.setErrorHandler((error, request, reply) =>
    sendProblem(reply, errorToProblem(error, request)),
  );
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problem(
        404,
        'route_not_found',
        `No route ${request.method} ${request.url.split('?')[0]}; see /openapi.json.`,
      ),
    ),
  );

  app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/v1/'))
      request.actor = await authenticate(ctx, request.headers.authorization);
  });

  await app.register(domainRoutes(ctx));
  await app.register(mailboxRoutes(ctx));
  await app.register(eventRoutes(ctx));
  await app.register(limitRoutes(ctx));
  await app.register(jobRoutes(ctx));
  await app.register(dnsRoutes(ctx));

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
