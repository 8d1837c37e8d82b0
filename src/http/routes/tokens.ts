import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_TOKEN_LABEL_LENGTH } from '../../core/token-label.js';
import { MAX_TOKEN_DOMAINS, SCOPES } from '../../core/token-scopes.js';
import type { ServiceContext } from '../../services/context.js';
import { createAccountApiToken } from '../../services/auth/create-api-token.js';
import { listApiTokens } from '../../services/auth/list-api-tokens.js';
import { revokeApiToken } from '../../services/auth/revoke-api-token.js';
import { checkedByService, problems, strictFields } from '../schemas.js';

const ApiTokenSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable().describe('To the minute; null if never used'),
    scopes: z.array(z.enum(SCOPES)).describe('What it may do; admin: everything'),
    domains: z
      .array(z.string())
      .nullable()
      .describe(
        'Root domains (A-labels) it is limited to, with their sub-domains; null: every domain',
      ),
  })
  .meta({ id: 'ApiToken' });

export const tokenRoutes =
  (ctx: ServiceContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/tokens', {
      config: { scope: 'tokens:write' },
      schema: {
        tags: ['tokens'],
        summary: "The account's API tokens (never their secrets)",
        response: { 200: z.object({ items: z.array(ApiTokenSchema) }), ...problems() },
      },
      handler: async (req) => listApiTokens(ctx, req.actor),
    });

    app.post('/v1/tokens', {
      config: { scope: 'tokens:write' },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token; the token is in this response only',
        body: strictFields({
          label: checkedByService(z.string(), {
            minLength: 1,
            maxLength: MAX_TOKEN_LABEL_LENGTH,
          }).describe(`What the token is for, 1–${MAX_TOKEN_LABEL_LENGTH} characters`),
          scopes: z
            .array(z.enum(SCOPES))
            .min(1)
            .max(SCOPES.length)
            .describe(
              'What it may do; each API operation names the scope it needs; admin: everything',
            ),
          domains: z
            .array(z.string())
            .min(1)
            .max(MAX_TOKEN_DOMAINS)
            .optional()
            .describe(
              'Root domains it is limited to (with their sub-domains); anything else answers 404. Leave out for every domain',
            ),
        }),
        response: {
          201: z.object({
            id: z.string(),
            label: z.string(),
            token: z.string().describe('Shown once: only its SHA-256 is stored'),
            scopes: ApiTokenSchema.shape.scopes,
            domains: ApiTokenSchema.shape.domains,
            createdAt: z.string(),
          }),
          ...problems(403, 422),
        },
      },
      handler: async (req, reply) => {
        const created = await createAccountApiToken(ctx, req.actor, req.body);
        return reply.code(201).send(created);
      },
    });

    app.delete('/v1/tokens/:id', {
      config: { scope: 'tokens:write' },
      schema: {
        tags: ['tokens'],
        summary: 'Revoke an API token: its next request gets 401',
        params: z.object({ id: z.string() }),
        response: { 204: z.null(), ...problems(403, 404) },
      },
      handler: async (req, reply) => {
        await revokeApiToken(ctx, req.actor, req.params.id);
        return reply.code(204).send(null);
      },
    });
  };
