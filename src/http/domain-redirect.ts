import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceContext } from '../services/context.js';
import { findWebRedirect } from '../services/domains/find-web-redirect.js';

// A certificate for the redirected domain must still be obtainable over HTTP-01.
const ACME_CHALLENGE = '/.well-known/acme-challenge/';

/**
 * Answers a request for a redirected domain (or its `www.`) with `301 Location: redirectTo`
 * before authentication, routes and the console: such a host serves nothing else.
 */
export const redirectDomainHosts =
  (ctx: ServiceContext) => async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.host || request.url.startsWith(ACME_CHALLENGE)) return;
    const location = await findWebRedirect(ctx, request.host);
    if (location === undefined) return;
    return reply.code(301).header('location', location).send();
  };
