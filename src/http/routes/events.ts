import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../services/context.js';
import { listEvents } from '../../services/accounts/list-events.js';
import { PageQuery, pageOf, problems } from '../schemas.js';

const EventSchema = z
  .object({
    id: z.number().int(),
    actor: z.string(),
    action: z.string(),
    target: z.string(),
    details: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  })
  .meta({ id: 'AuditEvent' });

export const eventRoutes =
  (ctx: ServiceContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/events', {
      config: { scope: 'admin' },
      schema: {
        tags: ['events'],
        summary: "The account's audit log, newest first",
        querystring: PageQuery,
        response: { 200: pageOf(EventSchema), ...problems(422) },
      },
      handler: async (req) => listEvents(ctx, req.actor, req.query),
    });
  };
