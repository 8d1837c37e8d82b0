import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getLimits } from '../../services/accounts/get-limits.js';
import type { ServiceContext } from '../../services/context.js';
import { CooldownSchema, problems } from '../schemas.js';

export const limitRoutes =
  (ctx: ServiceContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/limits', {
      config: { scope: 'admin' },
      schema: {
        tags: ['limits'],
        summary: "The account's platform limits, its usage and any running cooldown",
        response: {
          200: z.object({
            limits: z.object({
              maxDomains: z.number().int(),
              maxSubdomainsPerDomain: z.number().int(),
              maxMailboxesPerDomain: z.number().int(),
              maxBulkCount: z.number().int(),
              maxMailboxesPerHour: z.number().int(),
              cooldownThreshold: z.number().int(),
              cooldownSeconds: z.number().int(),
              defaultDailySendLimit: z
                .number()
                .int()
                .describe("A new mailbox's sending.dailyLimit"),
              defaultHourlySendLimit: z.number().int(),
              defaultWarmupStart: z.number().int().describe('0: new mailboxes get no warm-up'),
              defaultWarmupIncrement: z.number().int(),
              defaultWarmupMax: z.number().int(),
              maxAliasTargets: z
                .number()
                .int()
                .describe('Targets of one alias, catch-all or mailbox forward'),
            }),
            usage: z.object({ domains: z.number().int(), mailboxesLastHour: z.number().int() }),
            cooldowns: z.object({
              bulkMailboxes: CooldownSchema,
              bulkDeleteDomains: CooldownSchema,
              bulkDeleteMailboxes: CooldownSchema,
            }),
          }),
          ...problems(),
        },
      },
      handler: async (req) => getLimits(ctx, req.actor),
    });
  };
