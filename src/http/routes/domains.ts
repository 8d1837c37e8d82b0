import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  BULK_DELETE_COOLDOWN_TEXT,
  DEFAULT_DOMAIN_QUOTA_MB,
  DOMAIN_QUOTA_RANGE,
  MAILBOX_LIMIT_RANGE,
  MAX_BULK_DELETE_DOMAINS,
  MAX_DOMAIN_NAMES,
  MAX_DOMAIN_NAMES_TEXT,
  MAX_SUBDOMAIN_LABELS,
  MAX_SUBDOMAIN_LABELS_TEXT,
  tooManyItemsMessage,
} from '../../core/limits.js';
import { WEB_HOSTS } from '../../core/dns-plan.js';
import { MAX_NAME_OCTETS } from '../../core/hostname.js';
import { MAX_REDIRECT_URL_LENGTH } from '../../core/redirect-url.js';
import { MAX_RELAY_HOST_LENGTH, RELAY_HOST_EXAMPLE } from '../../core/relay-host.js';
import { addDomain } from '../../services/domains/add-domain.js';
import { addDomains } from '../../services/domains/add-domains.js';
import { addSubdomains } from '../../services/domains/add-subdomains.js';
import { bulkDeleteDomains } from '../../services/bulk/bulk-delete-domains.js';
import { deleteDomain } from '../../services/domains/delete-domain.js';
import { getDomain } from '../../services/domains/get-domain.js';
import { listDomains } from '../../services/domains/list-domains.js';
import { updateDomain } from '../../services/domains/update-domain.js';
import { verifyDomain } from '../../services/domains/verify-domain.js';
import { verifyDomains } from '../../services/domains/verify-domains.js';
import type { ServiceContext } from '../../services/context.js';
import {
  checkedByService,
  domainSelectionBody,
  DomainJobSchema,
  DomainSchema,
  JobSchema,
  PageQuery,
  pageOf,
  problems,
  strictFields,
  updateBody,
} from '../schemas.js';

/** The message of the one union member the value had the right type for, if any. */
const unionReason = (issue: { errors: { code: string; message: string }[][] }) =>
  issue.errors.flat().find((i) => i.code !== 'invalid_type')?.message;

/** One item per line of a string, or a JSON array: both capped, the text by its length. */
const linesOrList = (max: number, maxText: number, what: string) =>
  z
    .union(
      [
        z
          .string()
          .max(maxText, `${tooManyItemsMessage(max, what)} (${maxText} characters as text)`),
        z.array(z.string()).max(max, tooManyItemsMessage(max, what)),
      ],
      // A too-long list would otherwise only be "Invalid input", without the cap.
      { error: (issue) => (issue.code === 'invalid_union' ? unionReason(issue) : undefined) },
    )
    .describe(`At most ${max} ${what}, as lines of one string or as an array`);

export const NameParam = z.object({ name: z.string().describe('Domain name, Unicode or A-label') });

const MailboxLimit = checkedByService(z.number(), {
  minimum: MAILBOX_LIMIT_RANGE[0],
  maximum: MAILBOX_LIMIT_RANGE[1],
});
const DOMAIN_QUOTA = { minimum: DOMAIN_QUOTA_RANGE[0], maximum: DOMAIN_QUOTA_RANGE[1] } as const;
const QuotaMb = checkedByService(z.number(), DOMAIN_QUOTA);
const RedirectTo = checkedByService(z.string(), { maxLength: MAX_REDIRECT_URL_LENGTH })
  .nullable()
  .describe(
    "Root domains: an https URL (no user name or password) the domain and www. answer with 301; null removes it. Needs the server's web address (MAILWRIGHT_WEB_IPV4/IPV6/CNAME)",
  );
const TrackingCname = checkedByService(z.string(), { maxLength: MAX_NAME_OCTETS })
  .nullable()
  .describe(
    `Root domains: the host name ${WEB_HOSTS.tracking}.<domain> is a CNAME to (an email tool's click tracking); null removes it`,
  );
const RelayHost = checkedByService(z.string(), { maxLength: MAX_RELAY_HOST_LENGTH })
  .nullable()
  .describe(
    `The relay mail from the hostname's addresses leaves through, as [host]:port (e.g. ${RELAY_HOST_EXAMPLE}): one the server offers (MAILWRIGHT_DOMAIN_RELAYS or its own relay; another is 422 relay_not_offered), with the operator's login for it. A sub-domain without one follows its root's; null removes it`,
  );
/** The storage pool of a new domain, which the service defaults. */
const NewQuotaMb = checkedByService(z.number(), {
  ...DOMAIN_QUOTA,
  default: DEFAULT_DOMAIN_QUOTA_MB,
});

export const domainRoutes =
  (ctx: ServiceContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post('/v1/domains', {
      config: { scope: 'domains:write' },
      schema: {
        tags: ['domains'],
        summary: 'Add a root domain (hostname only, e.g. example.com)',
        body: strictFields({
          name: z.string().describe('Root hostname only, e.g. example.com — no https:// or www.'),
          mailboxLimit: MailboxLimit.optional().describe(
            `Mailbox slots, ${MAILBOX_LIMIT_RANGE[0]}–${MAILBOX_LIMIT_RANGE[1]}; default: the account's maxMailboxesPerDomain`,
          ),
          quotaMb: NewQuotaMb.optional().describe(
            `Storage pool shared by its mailboxes, default ${DEFAULT_DOMAIN_QUOTA_MB}`,
          ),
        }),
        response: { 201: DomainSchema, ...problems(409, 422) },
      },
      handler: async (req, reply) =>
        reply.code(201).send(await addDomain(ctx, req.actor, req.body)),
    });

    app.get('/v1/domains', {
      config: { scope: 'domains:read' },
      schema: {
        tags: ['domains'],
        summary: 'List root domains and sub-domains in name order',
        querystring: PageQuery,
        response: { 200: pageOf(DomainSchema), ...problems(422) },
      },
      handler: async (req) => listDomains(ctx, req.actor, req.query),
    });

    app.get('/v1/domains/:name', {
      config: { scope: 'domains:read' },
      schema: {
        tags: ['domains'],
        params: NameParam,
        response: { 200: DomainSchema, ...problems(404) },
      },
      handler: async (req) => getDomain(ctx, req.actor, req.params.name),
    });

    app.post('/v1/domains/bulk-delete', {
      config: { scope: 'domains:write' },
      schema: {
        tags: ['domains'],
        summary: `Delete up to ${MAX_BULK_DELETE_DOMAINS} domains as a job (${BULK_DELETE_COOLDOWN_TEXT})`,
        body: strictFields({
          names: z
            .array(z.string())
            .max(MAX_BULK_DELETE_DOMAINS, tooManyItemsMessage(MAX_BULK_DELETE_DOMAINS, 'domains')),
          cascade: z.boolean().optional().describe('Also delete their sub-domains and mailboxes'),
        }),
        response: { 202: z.object({ job: JobSchema }), ...problems(422, 429) },
      },
      handler: async (req, reply) =>
        reply.code(202).send({ job: await bulkDeleteDomains(ctx, req.actor, req.body) }),
    });

    app.post('/v1/domains/batch', {
      config: { scope: 'domains:write' },
      schema: {
        tags: ['domains'],
        summary: 'Add many root domains: one per line; each name gets its own result',
        description:
          "Each name is added as by POST /v1/domains, with the same codes and hints, until the account's " +
          'maxDomains is reached; a refused name never blocks the others.',
        body: strictFields({
          names: linesOrList(MAX_DOMAIN_NAMES, MAX_DOMAIN_NAMES_TEXT, 'domain names'),
        }),
        response: {
          200: z.object({
            created: z.array(DomainSchema),
            rejected: z.array(
              z.object({
                name: z.string().describe('The line as typed'),
                code: z.string(),
                message: z.string(),
              }),
            ),
          }),
          ...problems(422),
        },
      },
      handler: async (req) => addDomains(ctx, req.actor, req.body),
    });

    app.patch('/v1/domains/:name', {
      config: { scope: 'domains:write' },
      schema: {
        tags: ['domains'],
        summary:
          "Resize a domain's mailbox slots or storage pool, set a root's redirect, set its relay",
        params: NameParam,
        body: updateBody({
          mailboxLimit: MailboxLimit.optional(),
          quotaMb: QuotaMb.optional(),
          redirectTo: RedirectTo.optional(),
          trackingCname: TrackingCname.optional(),
          relayHost: RelayHost.optional(),
        }),
        response: { 200: DomainSchema, ...problems(404, 422) },
      },
      handler: async (req) => updateDomain(ctx, req.actor, req.params.name, req.body),
    });

    app.delete('/v1/domains/:name', {
      config: { scope: 'domains:write' },
      schema: {
        tags: ['domains'],
        summary: 'Remove a domain that has no sub-domains or mailboxes',
        params: NameParam,
        response: { 204: z.null(), ...problems(404, 409) },
      },
      handler: async (req, reply) => {
        await deleteDomain(ctx, req.actor, req.params.name);
        return reply.code(204).send(null);
      },
    });

    app.post('/v1/domains/:name/verify', {
      config: { scope: 'domains:write' },
      schema: {
        tags: ['domains'],
        summary:
          'Look up the ownership TXT record and mark the domain verified; 409 domain_taken when another account verified it first, 410 when the claim lapsed',
        params: NameParam,
        response: { 200: DomainSchema, ...problems(404, 409, 410) },
      },
      handler: async (req) => verifyDomain(ctx, req.actor, req.params.name),
    });

    app.post('/v1/domains/verify', {
      config: { scope: 'domains:write' },
      schema: {
        tags: ['domains'],
        summary: 'Verify many domains as a job: the listed ones, or every pending one',
        description:
          "Each domain's TXT lookup is its own result: the job's errors name those that failed, with the single verify's code and hint (verification_failed, domain_taken, claim_expired).",
        body: domainSelectionBody('waiting to be verified'),
        response: { 202: DomainJobSchema, ...problems(409, 422) },
      },
      handler: async (req, reply) =>
        reply.code(202).send(await verifyDomains(ctx, req.actor, req.body)),
    });

    app.post('/v1/domains/:name/subdomains', {
      config: { scope: 'domains:write' },
      schema: {
        tags: ['domains'],
        summary: 'Add sub-domains: one label per line; each label gets its own result',
        params: NameParam,
        body: strictFields({
          labels: linesOrList(MAX_SUBDOMAIN_LABELS, MAX_SUBDOMAIN_LABELS_TEXT, 'sub-domain labels'),
        }),
        response: {
          200: z.object({
            created: z.array(DomainSchema),
            rejected: z.array(
              z.object({ label: z.string(), code: z.string(), message: z.string() }),
            ),
          }),
          ...problems(404, 422),
        },
      },
      handler: async (req) => addSubdomains(ctx, req.actor, req.params.name, req.body),
    });
  };
