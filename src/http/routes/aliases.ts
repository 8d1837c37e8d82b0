import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIMIT_RANGES, tooManyItemsMessage } from '../../core/limits.js';
import { MAX_ADDRESS_OCTETS } from '../../core/local-part.js';
import { DEFAULT_MAX_ALIAS_TARGETS } from '../../core/limits.js';
import { createAlias } from '../../services/aliases/create-alias.js';
import { deleteAlias } from '../../services/aliases/delete-alias.js';
import { getAlias } from '../../services/aliases/get-alias.js';
import { listAliases } from '../../services/aliases/list-aliases.js';
import { updateAlias } from '../../services/aliases/update-alias.js';
import type { ServiceContext } from '../../services/context.js';
import { addressPageQuery, checkedByService, pageOf, problems, strictFields } from '../schemas.js';

const MAX_TARGETS = LIMIT_RANGES.maxAliasTargets[1];

/** Targets of an alias, catch-all or forward; the account's maxAliasTargets is the service's. */
export const RouteTargets = z
  .array(checkedByService(z.string(), { maxLength: MAX_ADDRESS_OCTETS }))
  .max(MAX_TARGETS, tooManyItemsMessage(MAX_TARGETS, 'targets'))
  .describe(
    `Mailboxes or aliases of this account, or addresses anywhere else; at most the account's maxAliasTargets (default ${DEFAULT_MAX_ALIAS_TARGETS})`,
  );

export const AliasSchema = z
  .object({
    id: z.string(),
    address: z.string().describe('sales@example.com, or @sales.example.com for a catch-all'),
    domain: z.string(),
    catchAll: z
      .boolean()
      .describe('Takes mail for every address of the hostname that no mailbox or alias has'),
    targets: z.array(z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Alias' });

const AddressParam = z.object({
  address: z.string().describe('sales@example.com, or @sales.example.com (URL-encoded @)'),
});
const AliasAddress = checkedByService(z.string(), { maxLength: MAX_ADDRESS_OCTETS }).describe(
  'On a verified hostname of this account; "@host" is the hostname\'s catch-all',
);

export const aliasRoutes =
  (ctx: ServiceContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post('/v1/aliases', {
      config: { scope: 'aliases:write' },
      schema: {
        tags: ['aliases'],
        summary: 'Create an alias or a catch-all that delivers to one or more targets',
        description:
          'Refused: the address of a mailbox or alias (409), a pending hostname (409), a target that ' +
          'is the alias itself, unknown on your own hostnames or closing a loop (422), a target on ' +
          "another account's hostname (404).",
        body: strictFields({ address: AliasAddress, targets: RouteTargets }),
        response: { 201: AliasSchema, ...problems(404, 409, 422) },
      },
      handler: async (req, reply) =>
        reply.code(201).send(await createAlias(ctx, req.actor, req.body)),
    });

    app.get('/v1/aliases', {
      config: { scope: 'aliases:read' },
      schema: {
        tags: ['aliases'],
        summary: 'List aliases and catch-alls in address order (catch-alls first)',
        querystring: addressPageQuery('"sa" or "@" for the catch-alls'),
        response: { 200: pageOf(AliasSchema), ...problems(404, 422) },
      },
      handler: async (req) => listAliases(ctx, req.actor, req.query),
    });

    app.get('/v1/aliases/:address', {
      config: { scope: 'aliases:read' },
      schema: {
        tags: ['aliases'],
        params: AddressParam,
        response: { 200: AliasSchema, ...problems(404, 422) },
      },
      handler: async (req) => getAlias(ctx, req.actor, req.params.address),
    });

    app.patch('/v1/aliases/:address', {
      config: { scope: 'aliases:write' },
      schema: {
        tags: ['aliases'],
        summary: "Replace an alias's targets",
        params: AddressParam,
        body: strictFields({ targets: RouteTargets }),
        response: { 200: AliasSchema, ...problems(404, 422) },
      },
      handler: async (req) => updateAlias(ctx, req.actor, req.params.address, req.body),
    });

    app.delete('/v1/aliases/:address', {
      config: { scope: 'aliases:write' },
      schema: {
        tags: ['aliases'],
        params: AddressParam,
        response: { 204: z.null(), ...problems(404, 422) },
      },
      handler: async (req, reply) => {
        await deleteAlias(ctx, req.actor, req.params.address);
        return reply.code(204).send(null);
      },
    });
  };
