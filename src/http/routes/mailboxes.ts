import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_BULK_DELETE_MAILBOXES, tooManyItemsMessage } from '../../core/limits.js';
import { MAX_ADDRESS_OCTETS } from '../../core/local-part.js';
import type { ServiceContext } from '../../services/context.js';
import { createMailbox } from '../../services/mailboxes/create-mailbox.js';
import { deleteMailbox } from '../../services/mailboxes/delete-mailbox.js';
import { getMailbox } from '../../services/mailboxes/get-mailbox.js';
import { listMailboxes } from '../../services/mailboxes/list-mailboxes.js';
import { updateMailbox } from '../../services/mailboxes/update-mailbox.js';
import { bulkDeleteMailboxes } from '../../services/bulk/bulk-delete-mailboxes.js';
import { createBulkMailboxes } from '../../services/bulk/create-bulk-mailboxes.js';
import { previewBulkMailboxes } from '../../services/bulk/preview-bulk-mailboxes.js';
import { importMailboxes } from '../../services/bulk/import-mailboxes.js';
import {
  CooldownSchema,
  JobSchema,
  MailboxDetailSchema,
  MailboxSchema,
  PageQuery,
  PasswordChoiceSchema,
  pageOf,
  problems,
  strictFields,
  updateBody,
} from '../schemas.js';

const AddressParam = z.object({ address: z.string() });
const WithPassword = z.object({
  mailbox: MailboxSchema,
  password: z
    .string()
    .optional()
    .describe('Only when generated: shown once, never retrievable again'),
});

const SingleMailbox = strictFields({
  mode: z.literal('single'),
  name: z.string().describe('A real person\'s name, e.g. "Josh Smith" (not "Admin")'),
  localPart: z.string().describe('The part before @'),
  domain: z.string().describe('A verified root domain or sub-domain of this account'),
  password: PasswordChoiceSchema,
  quotaMb: z.number().optional().describe('10–102400, default 1024'),
});

const BulkMailboxes = strictFields({
  mode: z.literal('bulk'),
  name: z
    .string()
    .describe('The persona whose name the addresses are made from, e.g. "Josh Smith"'),
  domain: z.string().describe('A verified root domain or sub-domain of this account'),
  count: z.number().describe("Number of mailboxes, at most the account's maxBulkCount"),
  password: PasswordChoiceSchema,
  quotaMb: z.number().optional().describe('Per mailbox: 10–102400, default 1024'),
  dryRun: z
    .boolean()
    .optional()
    .describe('true: answer with the exact addresses and limits, write nothing'),
  stages: strictFields({ size: z.number(), intervalMinutes: z.number() })
    .optional()
    .describe('Roll out in waves of `size` mailboxes, `intervalMinutes` apart'),
});

const Usage = z.object({ usage: z.number().int(), max: z.number().int(), after: z.number().int() });
const Preview = z.object({
  preview: z.object({
    addresses: z.array(z.string()).describe('Exactly the addresses the request would create'),
    limits: z
      .object({
        maxBulkCount: z.object({ max: z.number().int(), requested: z.number().int() }),
        mailboxesPerDomain: Usage.extend({ domain: z.string() }),
        domainQuotaMb: Usage.extend({ domain: z.string() }),
        mailboxesPerHour: Usage,
        cooldown: CooldownSchema.extend({ startsAfterThis: z.boolean() }),
      })
      .describe('Where the limits would stand once the batch is created'),
  }),
});
const JobEnvelope = z.object({ job: JobSchema });

export const mailboxRoutes =
  (ctx: ServiceContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post('/v1/mailboxes', {
      schema: {
        tags: ['mailboxes'],
        summary:
          'Create one mailbox (mode single) or a batch from a persona name (mode bulk, as a job)',
        description:
          'Single: 201 with the mailbox and a generated password, shown once. Bulk: 202 with the job; ' +
          'with dryRun 200 with a preview; a repeated Idempotency-Key with the same body: 200 with the same job.',
        headers: z.object({
          'idempotency-key': z
            .string()
            .max(200)
            .optional()
            .describe('Bulk only: makes retries safe for 24 h'),
        }),
        body: z.discriminatedUnion('mode', [SingleMailbox, BulkMailboxes]),
        response: {
          200: z.union([Preview, JobEnvelope]),
          201: WithPassword,
          202: JobEnvelope,
          ...problems(404, 409, 422, 429),
        },
      },
      handler: async (req, reply) => {
        const body = req.body;
        if (body.mode === 'single')
          return reply.code(201).send(await createMailbox(ctx, req.actor, body));
        if (body.dryRun)
          return reply.code(200).send(await previewBulkMailboxes(ctx, req.actor, body));
        const key = req.headers['idempotency-key'];
        const { job, replayed } = await createBulkMailboxes(
          ctx,
          req.actor,
          body,
          key ? { idempotencyKey: key } : {},
        );
        return reply.code(replayed ? 200 : 202).send({ job });
      },
    });

    app.post('/v1/mailboxes/import', {
      schema: {
        tags: ['mailboxes'],
        summary:
          'Import mailboxes from CSV (name,local_part,domain[,quota_mb]) as a job with generated passwords',
        consumes: ['text/csv'],
        body: z.string().describe('CSV with a header row'),
        response: { 202: JobEnvelope, ...problems(422, 429) },
      },
      handler: async (req, reply) =>
        reply.code(202).send({ job: await importMailboxes(ctx, req.actor, req.body) }),
    });

    app.post('/v1/mailboxes/bulk-delete', {
      schema: {
        tags: ['mailboxes'],
        summary: `Delete up to ${MAX_BULK_DELETE_MAILBOXES} mailboxes as a job (one request per 5 minutes)`,
        body: strictFields({
          addresses: z
            .array(z.string())
            .max(
              MAX_BULK_DELETE_MAILBOXES,
              tooManyItemsMessage(MAX_BULK_DELETE_MAILBOXES, 'addresses'),
            ),
        }),
        response: { 202: JobEnvelope, ...problems(422, 429) },
      },
      handler: async (req, reply) =>
        reply.code(202).send({ job: await bulkDeleteMailboxes(ctx, req.actor, req.body) }),
    });

    app.get('/v1/mailboxes', {
      schema: {
        tags: ['mailboxes'],
        summary: 'List mailboxes in address order, optionally by domain or address prefix',
        querystring: PageQuery.extend({
          domain: z.string().optional(),
          q: z
            .string()
            .max(MAX_ADDRESS_OCTETS)
            .optional()
            .describe('Address prefix, e.g. "jo" or "josh@sales."'),
        }),
        response: { 200: pageOf(MailboxSchema), ...problems(404, 422) },
      },
      handler: async (req) => listMailboxes(ctx, req.actor, req.query),
    });

    app.get('/v1/mailboxes/:address', {
      schema: {
        tags: ['mailboxes'],
        params: AddressParam,
        response: { 200: MailboxDetailSchema, ...problems(404) },
      },
      handler: async (req) => getMailbox(ctx, req.actor, req.params.address),
    });

    app.patch('/v1/mailboxes/:address', {
      schema: {
        tags: ['mailboxes'],
        summary: 'Change name, quota, active or password (a generated one is returned once)',
        params: AddressParam,
        body: updateBody({
          name: z.string().optional(),
          quotaMb: z.number().optional(),
          active: z.boolean().optional(),
          password: PasswordChoiceSchema.optional(),
        }),
        response: { 200: WithPassword, ...problems(404, 422) },
      },
      handler: async (req) => updateMailbox(ctx, req.actor, req.params.address, req.body),
    });

    app.delete('/v1/mailboxes/:address', {
      schema: {
        tags: ['mailboxes'],
        params: AddressParam,
        response: { 204: z.null(), ...problems(404) },
      },
      handler: async (req, reply) => {
        await deleteMailbox(ctx, req.actor, req.params.address);
        return reply.code(204).send(null);
      },
    });
  };
