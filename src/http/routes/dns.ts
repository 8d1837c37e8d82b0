import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../services/context.js';
import { getDnsPlan } from '../../services/dns-records/get-dns-plan.js';
import { getDnsZone } from '../../services/dns-records/get-dns-zone.js';
import { getMtaStsPolicy } from '../../services/dns-records/get-mta-sts-policy.js';
import { publishDns } from '../../services/dns-records/publish-dns.js';
import { publishDnsInBulk } from '../../services/dns-records/publish-dns-in-bulk.js';
import { exportDns } from '../../services/dns-records/export-dns.js';
import { RECORD_TYPES } from '../../core/dns-record.js';
import { MAX_DOMAIN_NAMES } from '../../core/limits.js';
import { retireDkim } from '../../services/dns-records/retire-dkim.js';
import { rotateDkim } from '../../services/dns-records/rotate-dkim.js';
import {
  domainSelectionBody,
  DomainJobSchema,
  ProblemSchema,
  problems,
  strictFields,
} from '../schemas.js';

const NameParam = z.object({ name: z.string().describe('Domain name, Unicode or A-label') });

const DnsRecordSchema = z
  .object({
    type: z.enum(RECORD_TYPES),
    host: z.string().describe('Fully qualified, lowercase A-label, without the trailing dot'),
    value: z
      .string()
      .describe('Zone-file presentation form: MX "10 mx.example.net.", TXT unquoted and whole'),
    ttl: z.number().int(),
    purpose: z.string().describe('What breaks without this record'),
    status: z
      .enum(['ok', 'missing', 'mismatch', 'error', 'unchecked'])
      .describe('unchecked unless asked for with check=true'),
    found: z.array(z.string()).describe('What the resolvers answered, in presentation form'),
    hint: z.string().describe('How to fix it; empty when ok or unchecked'),
  })
  .meta({ id: 'DnsRecord' });

const DkimAlgorithmSchema = z.enum(['rsa', 'ed25519']);

export const dnsRoutes =
  (ctx: ServiceContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/domains/:name/dns', {
      config: { scope: 'domains:read' },
      schema: {
        tags: ['dns'],
        summary: 'The DNS records the domain needs, each with why; check=true looks them up live',
        params: NameParam,
        querystring: strictFields({ check: z.enum(['true', 'false']).optional() }),
        response: {
          200: z.object({ records: z.array(DnsRecordSchema), checkedAt: z.string().nullable() }),
          ...problems(404, 422),
        },
      },
      handler: async (req) =>
        getDnsPlan(ctx, req.actor, req.params.name, { check: req.query.check === 'true' }),
    });

    app.post('/v1/domains/:name/dns/publish', {
      config: { scope: 'dns:write' },
      schema: {
        tags: ['dns'],
        summary: 'Publish the records to the configured DNS host, then check them live',
        description: 'Idempotent: publishing an unchanged plan again reports changed: 0.',
        params: NameParam,
        response: {
          200: z.object({
            changed: z.number().int().describe('RRsets the DNS host had to change'),
            records: z.array(DnsRecordSchema),
            checkedAt: z.string().nullable(),
          }),
          ...problems(404, 409, 422),
        },
      },
      handler: async (req) => publishDns(ctx, req.actor, req.params.name),
    });

    app.post('/v1/domains/dns/publish', {
      config: { scope: 'dns:write' },
      schema: {
        tags: ['dns'],
        summary: "Publish many domains' records as a job: the listed ones, or every one not live",
        description:
          "Each domain is published and checked as the single publish does; the job's errors name those the DNS host refused.",
        body: domainSelectionBody('whose records were never checked live or were failing'),
        response: { 202: DomainJobSchema, ...problems(409, 422) },
      },
      handler: async (req, reply) =>
        reply.code(202).send(await publishDnsInBulk(ctx, req.actor, req.body)),
    });

    const exportQuery = strictFields({
      names: z
        .string()
        .optional()
        .describe(
          `Domain names separated by commas, at most ${MAX_DOMAIN_NAMES}; left out: every domain of the account`,
        ),
    });
    const exportNames = (names: string | undefined) =>
      names === undefined ? {} : { names: names.split(',').filter((n) => n.trim() !== '') };

    app.get('/v1/domains/dns/export.zip', {
      config: { scope: 'domains:read' },
      schema: {
        tags: ['dns'],
        summary:
          "Many domains' records in one download: a BIND zone file per domain and records.csv",
        description:
          'A zip of zones/<domain>.zone (as GET /v1/domains/{name}/dns.zone answers each) and records.csv (domain,type,host,value,ttl: every record of every domain).',
        querystring: exportQuery,
        produces: ['application/zip'],
        response: { 200: z.any().describe('application/zip'), ...problems(422) },
      },
      handler: async (req, reply) => {
        const { zip } = await exportDns(ctx, req.actor, exportNames(req.query.names));
        return reply
          .type('application/zip')
          .header('content-disposition', 'attachment; filename="mailwright-dns.zip"')
          .send(Buffer.from(zip));
      },
    });

    app.get('/v1/domains/dns/records.csv', {
      config: { scope: 'domains:read' },
      schema: {
        tags: ['dns'],
        summary: 'Every record of many domains as one CSV: domain,type,host,value,ttl',
        querystring: exportQuery,
        produces: ['text/csv'],
        response: { 200: z.string(), ...problems(422) },
      },
      handler: async (req, reply) => {
        const { csv } = await exportDns(ctx, req.actor, exportNames(req.query.names));
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="mailwright-dns-records.csv"')
          .send(csv);
      },
    });

    app.get('/v1/domains/:name/dns.zone', {
      config: { scope: 'domains:read' },
      schema: {
        tags: ['dns'],
        summary: 'The same records as a BIND zone fragment to paste into a DNS host',
        params: NameParam,
        produces: ['text/plain'],
        response: { 200: z.string(), ...problems(404, 422) },
      },
      handler: async (req, reply) =>
        reply
          .type('text/plain; charset=utf-8')
          .send(await getDnsZone(ctx, req.actor, req.params.name)),
    });

    app.post('/v1/domains/:name/dkim/rotate', {
      config: { scope: 'dns:write' },
      schema: {
        tags: ['dns'],
        summary: 'Add the next DKIM selector; the previous ones stay published until retired',
        params: NameParam,
        body: strictFields({
          algorithm: DkimAlgorithmSchema.optional().describe(
            'rsa (default), or ed25519 for a second signature beside RSA',
          ),
        })
          // Fastify hands a body-less POST over as null.
          .nullish(),
        response: {
          201: z.object({
            selector: z.string(),
            algorithm: DkimAlgorithmSchema,
            records: z.array(DnsRecordSchema),
          }),
          ...problems(404, 409, 422),
        },
      },
      handler: async (req, reply) =>
        reply.code(201).send(await rotateDkim(ctx, req.actor, req.params.name, req.body ?? {})),
    });

    app.post('/v1/domains/:name/dkim/retire', {
      config: { scope: 'dns:write' },
      schema: {
        tags: ['dns'],
        summary: 'Stop publishing a DKIM selector once mail signed with it is delivered',
        params: NameParam,
        body: strictFields({ selector: z.string() }),
        response: {
          200: z.object({ selector: z.string(), records: z.array(DnsRecordSchema) }),
          ...problems(404, 409, 422),
        },
      },
      handler: async (req) => retireDkim(ctx, req.actor, req.params.name, req.body),
    });

    app.get('/.well-known/mta-sts.txt', {
      // Sending servers fetch it anonymously (RFC 8461 §3.3).
      config: { auth: 'none' },
      schema: {
        tags: ['dns'],
        summary: 'MTA-STS policy (RFC 8461) for Host: mta-sts.<domain> of a verified domain',
        security: [],
        produces: ['text/plain'],
        response: { 200: z.string(), 404: ProblemSchema },
      },
      handler: async (req, reply) =>
        reply.type('text/plain; charset=utf-8').send(await getMtaStsPolicy(ctx, req.hostname)),
    });
  };
