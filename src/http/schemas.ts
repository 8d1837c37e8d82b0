import { z } from 'zod';
import { AUTH_CACHE_TTL_SECONDS } from '../core/auth-cache.js';
import { WEB_HOSTS } from '../core/dns-plan.js';
import { RECORD_TYPES } from '../core/dns-record.js';
import { MAILBOX_LIMIT_RANGE, MAX_DOMAIN_NAMES, tooManyItemsMessage } from '../core/limits.js';
import { MAX_ADDRESS_OCTETS } from '../core/local-part.js';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../core/page-limit.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../core/password-policy.js';
import { PAGE_LIMIT_RULE } from '../services/support/page-limit.js';

/** JSON Schema keywords that state a limit of src/core in openapi.json. */
export interface LimitKeywords {
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
}

/**
 * A field whose rule the service checks: openapi.json gains the limit's keywords, but the schema
 * does not enforce them, so a value outside still gets the service's own code and message
 * (`quota_out_of_range`, with how to fix it) together with every other bad field of the request.
 */
export const checkedByService = <T extends z.ZodType>(schema: T, keywords: LimitKeywords): T =>
  schema.meta({ ...keywords });

/** Response shapes shared by several routes; request schemas live beside their route. */
export const DomainSchema = z
  .object({
    id: z.string(),
    name: z.string().describe('A-label (xn--…) form, lowercase'),
    unicodeName: z.string(),
    kind: z.enum(['root', 'subdomain']),
    parent: z.string().nullable(),
    status: z.enum(['pending', 'verified']),
    verification: z.object({ type: z.literal('TXT'), host: z.string(), value: z.string() }),
    mailboxLimit: z
      .number()
      .int()
      .describe(
        `Mailbox slots of this hostname (${MAILBOX_LIMIT_RANGE[0]}–${MAILBOX_LIMIT_RANGE[1]})`,
      ),
    quotaMb: z.number().int().describe("Storage pool shared by its mailboxes' quotas"),
    mailboxCount: z.number().int(),
    dns: z
      .object({
        ready: z.boolean(),
        checkedAt: z.string().nullable(),
        failing: z.array(
          z.object({
            type: z.enum(RECORD_TYPES),
            host: z.string(),
            status: z.enum(['ok', 'missing', 'mismatch', 'error', 'unchecked']),
            hint: z.string(),
          }),
        ),
      })
      .describe('Readiness from the last live check (GET …/dns?check=true or `domain check`)'),
    redirectTo: z
      .string()
      .nullable()
      .describe(
        'Root domains: the https URL web requests for the domain and www. are redirected to (301)',
      ),
    trackingCname: z
      .string()
      .nullable()
      .describe(`Root domains: the target of the ${WEB_HOSTS.tracking}.<domain> CNAME`),
    relayHost: z
      .string()
      .nullable()
      .describe(
        "The relay ([host]:port) mail from this hostname's addresses leaves through; null: a sub-domain follows its root's, otherwise the server's relay (or each recipient's MX)",
      ),
    warnings: z
      .array(z.object({ code: z.enum(['mixed_script']), message: z.string() }))
      .describe('mixed_script: the name mixes scripts and can pass for another; show `name` too'),
    createdAt: z.string(),
  })
  .meta({ id: 'Domain' });

const WarmupSchema = z.object({
  start: z.number().int().describe('Recipients allowed on day 0 of the ramp'),
  increment: z.number().int().describe('Added each UTC day'),
  max: z.number().int().describe('Where the ramp stops'),
  startDate: z.string().describe('UTC day the ramp counts from (day 0), YYYY-MM-DD'),
});

export const SendingSchema = z
  .object({
    dailyLimit: z.number().int().describe('Recipients per UTC day'),
    hourlyLimit: z.number().int().describe('Recipients per rolling hour'),
    warmup: WarmupSchema.nullable().describe('null: no warm-up'),
    sentToday: z.number().int().describe('Recipients accepted at submission this UTC day'),
    limitToday: z.number().int().describe('dailyLimit lowered by the warm-up ramp, for today'),
    sentThisHour: z.number().int().describe('Recipients in the last 60 minutes'),
    rampDay: z.number().int().nullable().describe('Day of the warm-up (0 first); null without'),
  })
  .describe('Enforced by the mail plane at submission (452 4.7.1 past a limit)')
  .meta({ id: 'Sending' });

export const MailboxSchema = z
  .object({
    id: z.string(),
    address: z.string(),
    localPart: z.string(),
    domain: z.string(),
    name: z.string(),
    quotaMb: z.number().int(),
    active: z.boolean(),
    createdAt: z.string(),
    sending: SendingSchema,
    forwarding: z
      .object({
        to: z.array(z.string()),
        keepCopy: z.boolean().describe('false: the mailbox keeps no copy, only the targets get it'),
      })
      .nullable()
      .describe('null: the mailbox keeps its mail and forwards nothing'),
  })
  .meta({ id: 'Mailbox' });

export const MailboxDetailSchema = MailboxSchema.extend({
  usedMb: z
    .number()
    .nullable()
    .describe("MB stored, as Dovecot's quota counts it; null when no mail plane answers"),
}).meta({ id: 'MailboxDetail' });

export const JobSchema = z
  .object({
    id: z.string(),
    kind: z.enum([
      'bulk_mailboxes',
      'import_mailboxes',
      'bulk_delete_domains',
      'bulk_delete_mailboxes',
      'bulk_set_sending',
      'bulk_set_forwarding',
      'verify_domains',
      'publish_dns',
      'export_mailboxes',
    ]),
    status: z
      .enum(['queued', 'running', 'succeeded', 'failed', 'cancelled'])
      .describe(
        'cancelled: POST /v1/jobs/{id}/cancel ended it; done items stay, the rest never ran',
      ),
    total: z.number().int(),
    done: z.number().int(),
    failed: z.number().int(),
    errors: z.array(z.object({ address: z.string(), code: z.string(), message: z.string() })),
    credentials: z
      .enum(['none', 'available', 'downloaded', 'expired'])
      .describe('available: GET /v1/jobs/{id}/credentials.csv once the job has finished'),
    nextRunAt: z.string().nullable().describe('Staged jobs: when the next wave starts'),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'Job' });

/** Which domains a bulk domain action is for (bulk verify, bulk publish). */
export const domainSelectionBody = (pendingMeans: string) =>
  strictFields({
    names: z
      .array(z.string())
      .max(MAX_DOMAIN_NAMES, tooManyItemsMessage(MAX_DOMAIN_NAMES, 'domains'))
      .optional()
      .describe('Domain names, Unicode or A-label; or leave out and send pending: true'),
    pending: z.boolean().optional().describe(`Every domain ${pendingMeans}`),
  });

/** A bulk domain action's job and the domains it runs on, in order: one result each. */
export const DomainJobSchema = z.object({
  job: JobSchema,
  domains: z
    .array(z.string())
    .describe("The job's domains; each one is done unless the job's errors name it"),
});

/** A cooldown as GET /v1/limits and a bulk preview show it. */
export const CooldownSchema = z.object({
  active: z.boolean(),
  retryAt: z.string().nullable(),
  seconds: z.number().int(),
});

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
    errors: z
      .array(z.object({ field: z.string(), code: z.string(), message: z.string() }))
      .optional(),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem' });

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/**
 * A request body object or query string. Unknown fields are refused, never dropped: a typo
 * (`quotaMB`) would otherwise answer 200 and change nothing. The message lists the fields.
 */
export const strictFields = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `Unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; the fields are ${Object.keys(shape).join(', ')}.`
        : undefined,
  });

/** The body of a PATCH: like strictFields, and `{}` (which would change nothing) is refused. */
export const updateBody = <S extends z.ZodRawShape>(shape: S) =>
  strictFields(shape).refine((body) => Object.keys(body).length > 0, {
    error: `Send at least one field to change: ${Object.keys(shape).join(', ')}.`,
    params: { code: 'empty_update' },
    // Only fields it knows count; one that sent only unknown fields hears about those instead.
    when: (payload) => payload.issues.length === 0,
  });

export const PageQuery = strictFields({
  cursor: z.string().optional().describe('nextCursor of the previous page'),
  // Decimal digits only: Number() would also read 0x10, 1e2 and ' 5 '.
  limit: z
    .preprocess(
      (value) => (typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value),
      z
        .int({ error: PAGE_LIMIT_RULE })
        .min(1, PAGE_LIMIT_RULE)
        .max(MAX_PAGE_LIMIT, PAGE_LIMIT_RULE)
        // Applied by the service when the query leaves it out.
        .meta({ default: DEFAULT_PAGE_LIMIT }),
    )
    .optional()
    .describe(`1–${MAX_PAGE_LIMIT}, default ${DEFAULT_PAGE_LIMIT}`),
});

/** A page of things with addresses (mailboxes, aliases): by hostname, or by address prefix. */
export const addressPageQuery = (prefixExamples: string) =>
  PageQuery.extend({
    domain: z.string().optional(),
    q: z
      .string()
      .max(MAX_ADDRESS_OCTETS)
      .optional()
      .describe(`Address prefix, e.g. ${prefixExamples}`),
  });

/** Error responses every authenticated route can give. */
export const problems = (...statuses: number[]) =>
  Object.fromEntries([401, ...statuses].map((s) => [s, ProblemSchema])) as Record<
    number,
    typeof ProblemSchema
  >;

/**
 * The 503 of a route that changes a login (password, state, quota, deletion, revocation): the
 * flush of Dovecot's login cache is part of the change (src/services/support/login-change.ts).
 */
export const LOGIN_CHANGE_UNAVAILABLE = `503 mail_plane_unavailable when Dovecot runs but cannot be told of the change: with "saved": false nothing was changed (retry once Dovecot answers); with "saved": true the change stands, and a login Dovecot cached before it may still succeed for up to ${AUTH_CACHE_TTL_SECONDS} s.`;

export const PasswordChoiceSchema = z
  .discriminatedUnion('generate', [
    strictFields({ generate: z.literal(true) }),
    strictFields({
      generate: z.literal(false),
      value: checkedByService(z.string(), {
        minLength: MIN_PASSWORD_LENGTH,
        maxLength: MAX_PASSWORD_LENGTH,
      }).optional(),
    }),
  ])
  .describe(
    '{ "generate": true } for a random password shown once, or { "generate": false, "value": "…" }',
  );
