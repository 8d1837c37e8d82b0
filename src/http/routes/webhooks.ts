import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  MAX_WEBHOOK_URL_LENGTH,
  WEBHOOK_EVENTS,
  WEBHOOK_SECRET_LENGTH,
} from '../../core/webhook-events.js';
import { WEBHOOK_DELIVERY_LOG_SIZE } from '../../core/webhooks.js';
import type { ServiceContext } from '../../services/context.js';
import { createWebhook } from '../../services/webhooks/create-webhook.js';
import { deleteWebhook } from '../../services/webhooks/delete-webhook.js';
import { listWebhookDeliveries } from '../../services/webhooks/list-webhook-deliveries.js';
import { listWebhooks } from '../../services/webhooks/list-webhooks.js';
import { checkedByService, problems, strictFields } from '../schemas.js';

const WebhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    createdAt: z.string(),
  })
  .meta({ id: 'Webhook' });

const DeliverySchema = z
  .object({
    id: z.string().describe('Sent as the Mailwright-Delivery header'),
    event: z.string(),
    status: z
      .enum(['pending', 'delivered', 'failed'])
      .describe('failed: every attempt failed, no more are made'),
    attempts: z.number().int(),
    createdAt: z.string(),
    lastAttemptAt: z.string().nullable(),
    nextAttemptAt: z.string().nullable().describe('When pending: the next attempt'),
    responseStatus: z.number().int().nullable().describe("The receiver's last HTTP status"),
    error: z.string().nullable().describe('Why the last attempt failed'),
  })
  .meta({ id: 'WebhookDelivery' });

const IdParams = z.object({ id: z.string() });

export const webhookRoutes =
  (ctx: ServiceContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/webhooks', {
      config: { scope: 'webhooks:write' },
      schema: {
        tags: ['webhooks'],
        summary: "The account's webhook endpoints (never their secrets)",
        response: { 200: z.object({ items: z.array(WebhookSchema) }), ...problems(403) },
      },
      handler: async (req) => listWebhooks(ctx, req.actor),
    });

    app.post('/v1/webhooks', {
      config: { scope: 'webhooks:write' },
      schema: {
        tags: ['webhooks'],
        summary: 'Add a webhook endpoint; its signing secret is in this response only',
        body: strictFields({
          url: checkedByService(z.string(), {
            minLength: 1,
            maxLength: MAX_WEBHOOK_URL_LENGTH,
          }).describe(
            'https URL that receives a signed POST per event; private and link-local addresses are refused',
          ),
          events: z
            .array(z.enum(WEBHOOK_EVENTS))
            .min(1)
            .max(WEBHOOK_EVENTS.length)
            .describe('Event types to deliver'),
          secret: checkedByService(z.string(), {
            minLength: WEBHOOK_SECRET_LENGTH[0],
            maxLength: WEBHOOK_SECRET_LENGTH[1],
          })
            .optional()
            .describe(
              `Your own signing secret, ${WEBHOOK_SECRET_LENGTH[0]}–${WEBHOOK_SECRET_LENGTH[1]} printable ASCII characters without spaces; leave out to have one generated. Never sent back`,
            ),
        }),
        response: {
          201: WebhookSchema.extend({
            secret: z
              .string()
              .optional()
              .describe(
                'The generated secret, shown once: verify the Mailwright-Signature header with it (docs/security.md). Absent when you gave the secret',
              ),
          }),
          ...problems(403, 422),
        },
      },
      handler: async (req, reply) =>
        reply.code(201).send(await createWebhook(ctx, req.actor, req.body)),
    });

    app.delete('/v1/webhooks/:id', {
      config: { scope: 'webhooks:write' },
      schema: {
        tags: ['webhooks'],
        summary: 'Remove a webhook endpoint: its pending deliveries and retries are dropped',
        params: IdParams,
        response: { 204: z.null(), ...problems(403, 404) },
      },
      handler: async (req, reply) => {
        await deleteWebhook(ctx, req.actor, req.params.id);
        return reply.code(204).send(null);
      },
    });

    app.get('/v1/webhooks/:id/deliveries', {
      config: { scope: 'webhooks:write' },
      schema: {
        tags: ['webhooks'],
        summary: `The endpoint's ${WEBHOOK_DELIVERY_LOG_SIZE} newest deliveries, newest first`,
        params: IdParams,
        response: { 200: z.object({ items: z.array(DeliverySchema) }), ...problems(403, 404) },
      },
      handler: async (req) => listWebhookDeliveries(ctx, req.actor, req.params.id),
    });
  };
