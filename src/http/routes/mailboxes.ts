import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IDEMPOTENCY_WINDOW_HOURS, MAX_IDEMPOTENCY_KEY_LENGTH } from '../../core/idempotency.js';
import {
  BULK_DELETE_COOLDOWN_TEXT,
  MAX_BULK_DELETE_MAILBOXES,
  MAX_DOMAIN_NAMES,
  STAGE_INTERVAL_MINUTES_RANGE,
  tooManyItemsMessage,
} from '../../core/limits.js';
import { MAX_LOCAL_OCTETS } from '../../core/local-part.js';
import { MAX_BULK_FORWARDING_MAILBOXES } from '../../core/mail-routing.js';
import { MAX_PERSON_NAME_LENGTH, MIN_PERSON_NAME_LENGTH } from '../../core/person-name.js';
import { DEFAULT_QUOTA_MB, MAX_QUOTA_MB, MIN_QUOTA_MB } from '../../core/quota.js';
import {
  MAX_BULK_SENDING_MAILBOXES,
  SEND_LIMIT_RANGE,
  WARMUP_INCREMENT_RANGE,
  WARMUP_LIMIT_RANGE,
} from '../../core/sending.js';
import { MAX_SPREAD_DOMAINS, MAX_SPREAD_PERSONAS } from '../../core/spread.js';
import type { ServiceContext } from '../../services/context.js';
import { createMailbox } from '../../services/mailboxes/create-mailbox.js';
import { deleteMailbox } from '../../services/mailboxes/delete-mailbox.js';
import { getMailbox } from '../../services/mailboxes/get-mailbox.js';
import { listMailboxesJson } from '../../services/mailboxes/list-mailboxes.js';
import { updateMailbox } from '../../services/mailboxes/update-mailbox.js';
import { bulkDeleteMailboxes } from '../../services/bulk/bulk-delete-mailboxes.js';
import { bulkSetForwarding } from '../../services/bulk/bulk-set-forwarding.js';
import { bulkSetSending } from '../../services/bulk/bulk-set-sending.js';
import { previewBulkForwarding } from '../../services/bulk/preview-bulk-forwarding.js';
import { previewBulkSending } from '../../services/bulk/preview-bulk-sending.js';
import { createBulkMailboxes } from '../../services/bulk/create-bulk-mailboxes.js';
import { previewBulkMailboxes } from '../../services/bulk/preview-bulk-mailboxes.js';
import { createSpreadMailboxes } from '../../services/bulk/create-spread-mailboxes.js';
import { previewSpreadMailboxes } from '../../services/bulk/preview-spread-mailboxes.js';
import { importMailboxes } from '../../services/bulk/import-mailboxes.js';
import { exportMailboxes } from '../../services/bulk/export-mailboxes.js';
import {
  checkedByService,
  CooldownSchema,
  JobSchema,
  LOGIN_CHANGE_UNAVAILABLE,
  MailboxDetailSchema,
  MailboxSchema,
  SendingSchema,
  addressPageQuery,
  PasswordChoiceSchema,
  pageOf,
  problems,
  strictFields,
  updateBody,
} from '../schemas.js';
import { fastJsonOf, fastSerializerFor } from '../fast-serializer.js';
import { RouteTargets } from './aliases.js';

const AddressParam = z.object({ address: z.string() });

/**
 * A page of mailboxes as text, where the database does not write it itself (PostgreSQL): the
 * compiled serializer of the page's schema, which does not parse every item into a copy first.
 */
export const writeMailboxPage = fastJsonOf(pageOf(MailboxSchema));

const PersonName = checkedByService(z.string(), {
  minLength: MIN_PERSON_NAME_LENGTH,
  maxLength: MAX_PERSON_NAME_LENGTH,
});
const QUOTA_RANGE = { minimum: MIN_QUOTA_MB, maximum: MAX_QUOTA_MB } as const;
const QuotaMb = checkedByService(z.number(), QUOTA_RANGE);
/** The quota of a new mailbox, which the service defaults. */
const NewQuotaMb = checkedByService(z.number(), { ...QUOTA_RANGE, default: DEFAULT_QUOTA_MB });
const QUOTA_TEXT = `${MIN_QUOTA_MB}–${MAX_QUOTA_MB}, default ${DEFAULT_QUOTA_MB}`;
const SEND_LIMIT = { minimum: SEND_LIMIT_RANGE[0], maximum: SEND_LIMIT_RANGE[1] } as const;
const WARMUP_LIMIT = { minimum: WARMUP_LIMIT_RANGE[0], maximum: WARMUP_LIMIT_RANGE[1] } as const;
const SendingInput = strictFields({
  dailyLimit: checkedByService(z.number(), SEND_LIMIT)
    .optional()
    .describe('Recipients per UTC day (0 stops sending)'),
  hourlyLimit: checkedByService(z.number(), SEND_LIMIT)
    .optional()
    .describe('Recipients per rolling hour'),
  warmup: strictFields({
    start: checkedByService(z.number(), WARMUP_LIMIT).describe('Recipients on day 0'),
    increment: checkedByService(z.number(), {
      minimum: WARMUP_INCREMENT_RANGE[0],
      maximum: WARMUP_INCREMENT_RANGE[1],
    }).describe('Added each UTC day'),
    max: checkedByService(z.number(), WARMUP_LIMIT).describe('Where the ramp stops (≥ start)'),
    startDate: z.string().optional().describe('Day 0 as a UTC date, YYYY-MM-DD; default today'),
  })
    .nullable()
    .optional()
    .describe('null removes the warm-up'),
}).describe(
  "Sending limits; what is left out keeps its value (on creation: the account's default)",
);
const ForwardingInput = strictFields({
  to: RouteTargets,
  keepCopy: z
    .boolean()
    .optional()
    .describe('Default true: the mailbox keeps a copy; false: only the targets get the mail'),
})
  .nullable()
  .describe(
    'Replaces the forwarding; null stops it. Targets follow the alias rules: not the mailbox itself, no loop (422 routing_cycle)',
  );
const WithPassword = z.object({
  mailbox: MailboxSchema,
  password: z
    .string()
    .optional()
    .describe('Only when generated: shown once, never retrievable again'),
});

const SingleMailbox = strictFields({
  mode: z.literal('single'),
  name: PersonName.describe('A real person\'s name, e.g. "Josh Smith" (not "Admin")'),
  localPart: checkedByService(z.string(), { maxLength: MAX_LOCAL_OCTETS }).describe(
    'The part before @',
  ),
  domain: z.string().describe('A verified root domain or sub-domain of this account'),
  password: PasswordChoiceSchema,
  quotaMb: NewQuotaMb.optional().describe(QUOTA_TEXT),
  sending: SendingInput.optional(),
});

const BulkMailboxes = strictFields({
  mode: z.literal('bulk'),
  name: PersonName.describe(
    'The persona whose name the addresses are made from, e.g. "Josh Smith"',
  ),
  domain: z.string().describe('A verified root domain or sub-domain of this account'),
  count: z.number().describe("Number of mailboxes, at most the account's maxBulkCount"),
  password: PasswordChoiceSchema,
  quotaMb: NewQuotaMb.optional().describe(`Per mailbox: ${QUOTA_TEXT}`),
  sending: SendingInput.optional().describe("Each mailbox's sending limits"),
  dryRun: z
    .boolean()
    .optional()
    .describe('true: answer with the exact addresses and limits, write nothing'),
  stages: strictFields({
    size: z.number(),
    intervalMinutes: checkedByService(z.number(), {
      minimum: STAGE_INTERVAL_MINUTES_RANGE[0],
      maximum: STAGE_INTERVAL_MINUTES_RANGE[1],
    }),
  })
    .optional()
    .describe('Roll out in waves of `size` mailboxes, `intervalMinutes` apart'),
});

const SpreadMailboxes = strictFields({
  mode: z.literal('spread'),
  domains: z
    .array(z.string())
    .min(1)
    .max(MAX_SPREAD_DOMAINS, tooManyItemsMessage(MAX_SPREAD_DOMAINS, 'domains'))
    .describe('Verified root domains or sub-domains of this account, each once'),
  personas: z
    .array(strictFields({ name: PersonName.describe('A real person\'s name, e.g. "Josh Smith"') }))
    .min(1)
    .max(MAX_SPREAD_PERSONAS, tooManyItemsMessage(MAX_SPREAD_PERSONAS, 'personas')),
  perDomain: checkedByService(z.number(), {
    minimum: 1,
    maximum: MAX_SPREAD_PERSONAS,
  }).describe(
    'Mailboxes per domain, at most the number of personas: the list is walked in order, ' +
      'perDomain at a time, wrapping round, so domain i gets personas i·perDomain … (mod the list)',
  ),
  password: PasswordChoiceSchema,
  quotaMb: NewQuotaMb.optional().describe(`Per mailbox: ${QUOTA_TEXT}`),
  sending: SendingInput.optional().describe("Each mailbox's sending limits"),
  dryRun: z
    .boolean()
    .optional()
    .describe('true: answer with the exact addresses per domain and limits, write nothing'),
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
const SpreadPreview = z.object({
  preview: z.object({
    addresses: z.array(z.string()).describe('Every address the request would create, in job order'),
    domains: z
      .array(
        z.object({
          domain: z.string(),
          addresses: z.array(z.string()),
          mailboxesPerDomain: Usage.extend({ domain: z.string() }),
          domainQuotaMb: Usage.extend({ domain: z.string() }),
        }),
      )
      .describe("Each domain's addresses, slots and storage pool once the batch is created"),
    limits: z.object({
      maxBulkCount: z.object({ max: z.number().int(), requested: z.number().int() }),
      mailboxesPerHour: Usage,
      cooldown: CooldownSchema.extend({ startsAfterThis: z.boolean() }),
    }),
  }),
});
const JobEnvelope = z.object({ job: JobSchema });
const BulkForwardingPreview = z.object({
  preview: z.object({
    mailboxes: z.array(
      z.object({
        address: z.string(),
        before: MailboxSchema.shape.forwarding,
        after: MailboxSchema.shape.forwarding.describe(
          'null: it keeps its mail; when refused, as before',
        ),
        changed: z
          .boolean()
          .describe('false: the mailbox forwards this way already, or is refused'),
        refused: z
          .object({ code: z.string(), message: z.string() })
          .nullable()
          .describe('Why this mailbox would be left as it is (target_is_self, routing_cycle)'),
      }),
    ),
  }),
});
const SendingPolicy = SendingSchema.pick({ dailyLimit: true, hourlyLimit: true, warmup: true });
const BulkSendingPreview = z.object({
  preview: z.object({
    mailboxes: z.array(
      z.object({
        address: z.string(),
        before: SendingPolicy,
        after: SendingPolicy,
        changed: z.boolean().describe('false: the mailbox has this policy already'),
      }),
    ),
  }),
});

export const mailboxRoutes =
  (ctx: ServiceContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post('/v1/mailboxes', {
      config: { scope: 'mailboxes:write' },
      schema: {
        tags: ['mailboxes'],
        summary:
          'Create one mailbox (mode single), a batch from a persona name (mode bulk, as a job) or personas spread over domains (mode spread, as a job)',
        description:
          'Single: 201 with the mailbox and a generated password, shown once. Bulk and spread: 202 with the job; ' +
          'with dryRun 200 with a preview; a repeated Idempotency-Key with the same body: 200 with the same job.',
        headers: z.object({
          'idempotency-key': z
            .string()
            .max(MAX_IDEMPOTENCY_KEY_LENGTH)
            .optional()
            .describe(`Bulk and spread only: makes retries safe for ${IDEMPOTENCY_WINDOW_HOURS} h`),
        }),
        body: z.discriminatedUnion('mode', [SingleMailbox, BulkMailboxes, SpreadMailboxes]),
        response: {
          200: z.union([Preview, SpreadPreview, JobEnvelope]),
          201: WithPassword,
          202: JobEnvelope,
          ...problems(404, 409, 422, 429),
        },
      },
      serializerCompiler: fastSerializerFor([201]),
      handler: async (req, reply) => {
        const body = req.body;
        if (body.mode === 'single')
          return reply.code(201).send(await createMailbox(ctx, req.actor, body));
        if (body.dryRun)
          return reply
            .code(200)
            .send(
              body.mode === 'spread'
                ? await previewSpreadMailboxes(ctx, req.actor, body)
                : await previewBulkMailboxes(ctx, req.actor, body),
            );
        const key = req.headers['idempotency-key'];
        const opts = key ? { idempotencyKey: key } : {};
        const { job, replayed } =
          body.mode === 'spread'
            ? await createSpreadMailboxes(ctx, req.actor, body, opts)
            : await createBulkMailboxes(ctx, req.actor, body, opts);
        return reply.code(replayed ? 200 : 202).send({ job });
      },
    });

    app.post('/v1/mailboxes/import', {
      config: { scope: 'mailboxes:write' },
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
      config: { scope: 'mailboxes:write' },
      schema: {
        tags: ['mailboxes'],
        summary: `Delete up to ${MAX_BULK_DELETE_MAILBOXES} mailboxes as a job (${BULK_DELETE_COOLDOWN_TEXT})`,
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

    app.post('/v1/mailboxes/export', {
      config: { scope: 'mailboxes:write' },
      schema: {
        tags: ['mailboxes'],
        summary:
          'Export existing mailboxes into a sending tool: a job that gives each a new password for the one-time credentials download',
        description:
          'Passwords are stored only as hashes, so an export issues new ones: the current passwords stop working and ' +
          'connected clients must be updated. dryRun: 200 with how many mailboxes would get a new password. ' +
          'Otherwise 202 with the job; download GET /v1/jobs/{id}/credentials.csv?format=… once it has finished.',
        body: strictFields({
          domains: z
            .array(z.string())
            .max(MAX_DOMAIN_NAMES, tooManyItemsMessage(MAX_DOMAIN_NAMES, 'domains'))
            .optional()
            .describe("These domains' mailboxes (and their sub-domains'); or send all: true"),
          all: z.boolean().optional().describe('Every active mailbox of the account'),
          createdAfter: z
            .string()
            .optional()
            .describe('ISO 8601 date or time: only mailboxes created after it'),
          dryRun: z.boolean().optional(),
        }),
        response: {
          200: z.object({
            preview: z.object({
              mailboxes: z.number().int().describe('How many get a new password'),
              domains: z.number().int(),
              warning: z.string(),
            }),
          }),
          202: JobEnvelope,
          ...problems(409, 422),
        },
      },
      handler: async (req, reply) => {
        const result = await exportMailboxes(ctx, req.actor, req.body);
        return reply.code('job' in result ? 202 : 200).send(result);
      },
    });

    app.post('/v1/mailboxes/bulk-sending', {
      config: { scope: 'mailboxes:write' },
      schema: {
        tags: ['mailboxes'],
        summary: `Set the sending limits of up to ${MAX_BULK_SENDING_MAILBOXES} mailboxes as a job, one result per mailbox; dryRun previews each change`,
        body: strictFields({
          addresses: z
            .array(z.string())
            .max(
              MAX_BULK_SENDING_MAILBOXES,
              tooManyItemsMessage(MAX_BULK_SENDING_MAILBOXES, 'addresses'),
            )
            .optional()
            .describe('The mailboxes to change (or give domain)'),
          domain: z
            .string()
            .optional()
            .describe('Every mailbox of this hostname, not of its sub-domains (or give addresses)'),
          sending: SendingInput.describe(
            "What changes on each mailbox; what is left out keeps each mailbox's own value",
          ),
          dryRun: z.boolean().optional().describe('Answer what would change; write nothing'),
        }),
        response: {
          200: BulkSendingPreview,
          202: z.object({
            job: JobSchema,
            addresses: z.array(z.string()).describe("The job's items, in order"),
          }),
          ...problems(404, 409, 422),
        },
      },
      handler: async (req, reply) => {
        const { dryRun, ...input } = req.body;
        if (dryRun) return previewBulkSending(ctx, req.actor, input);
        return reply.code(202).send(await bulkSetSending(ctx, req.actor, input));
      },
    });

    app.post('/v1/mailboxes/bulk-forwarding', {
      config: { scope: 'mailboxes:write' },
      schema: {
        tags: ['mailboxes'],
        summary: `Set (or stop) the forwarding of up to ${MAX_BULK_FORWARDING_MAILBOXES} mailboxes as a job, one result per mailbox; dryRun previews each change`,
        body: strictFields({
          addresses: z
            .array(z.string())
            .max(
              MAX_BULK_FORWARDING_MAILBOXES,
              tooManyItemsMessage(MAX_BULK_FORWARDING_MAILBOXES, 'addresses'),
            )
            .optional()
            .describe('The mailboxes to change (or give domains)'),
          domains: z
            .array(z.string())
            .max(MAX_DOMAIN_NAMES, tooManyItemsMessage(MAX_DOMAIN_NAMES, 'domains'))
            .optional()
            .describe(
              'Every mailbox of these hostnames, not of their sub-domains (or give addresses)',
            ),
          forwarding: ForwardingInput.describe(
            "What every mailbox forwards, under the rules of one mailbox's forwarding; null stops it. A mailbox among its own targets, or whose forward would close a loop, is refused on its own row",
          ),
          dryRun: z.boolean().optional().describe('Answer what would change; write nothing'),
        }),
        response: {
          200: BulkForwardingPreview,
          202: z.object({
            job: JobSchema,
            addresses: z.array(z.string()).describe("The job's items, in order"),
          }),
          ...problems(404, 409, 422),
        },
      },
      handler: async (req, reply) => {
        const { dryRun, ...input } = req.body;
        if (dryRun) return previewBulkForwarding(ctx, req.actor, input);
        return reply.code(202).send(await bulkSetForwarding(ctx, req.actor, input));
      },
    });

    app.get('/v1/mailboxes', {
      config: { scope: 'mailboxes:read' },
      schema: {
        tags: ['mailboxes'],
        summary: 'List mailboxes in address order, optionally by domain or address prefix',
        querystring: addressPageQuery('"jo" or "josh@sales."'),
        response: { 200: pageOf(MailboxSchema), ...problems(404, 422) },
      },
      // The page comes as JSON text (listMailboxesJson), which a JSON content type lets leave
      // Fastify as it is; the schema above documents what it holds, which the type provider
      // cannot see in a string.
      handler: async (req, reply) =>
        reply
          .type('application/json; charset=utf-8')
          .send((await listMailboxesJson(ctx, req.actor, req.query, writeMailboxPage)) as never),
    });

    app.get('/v1/mailboxes/:address', {
      config: { scope: 'mailboxes:read' },
      schema: {
        tags: ['mailboxes'],
        params: AddressParam,
        response: { 200: MailboxDetailSchema, ...problems(404) },
      },
      handler: async (req) => getMailbox(ctx, req.actor, req.params.address),
    });

    app.patch('/v1/mailboxes/:address', {
      config: { scope: 'mailboxes:write' },
      schema: {
        tags: ['mailboxes'],
        summary:
          'Change name, quota, active, password (a generated one is returned once), sending limits or forwarding',
        description: LOGIN_CHANGE_UNAVAILABLE,
        params: AddressParam,
        body: updateBody({
          name: PersonName.optional(),
          quotaMb: QuotaMb.optional(),
          active: z.boolean().optional(),
          password: PasswordChoiceSchema.optional(),
          sending: SendingInput.optional(),
          forwarding: ForwardingInput.optional(),
        }),
        response: { 200: WithPassword, ...problems(404, 422, 503) },
      },
      handler: async (req) => updateMailbox(ctx, req.actor, req.params.address, req.body),
    });

    app.delete('/v1/mailboxes/:address', {
      config: { scope: 'mailboxes:write' },
      schema: {
        tags: ['mailboxes'],
        description: LOGIN_CHANGE_UNAVAILABLE,
        params: AddressParam,
        response: { 204: z.null(), ...problems(404, 503) },
      },
      handler: async (req, reply) => {
        await deleteMailbox(ctx, req.actor, req.params.address);
        return reply.code(204).send(null);
      },
    });
  };
