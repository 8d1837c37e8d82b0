import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { mtaStsHost, RENEW_DAYS_BEFORE_EXPIRY } from '../../core/certificates.js';
import type { ServiceContext } from '../../services/context.js';
import { issueCertificate } from '../../services/certificates/issue-certificate.js';
import { issueWebCertificates } from '../../services/certificates/issue-web-certificates.js';
import { listCertificates } from '../../services/certificates/list-certificates.js';
import { problems } from '../schemas.js';
import { NameParam } from './domains.js';

const CertificateSchema = z
  .object({
    name: z.string().describe('The host name it is for (A-label)'),
    kind: z
      .enum(['mail_host', 'mta_sts', 'web'])
      .describe(
        "What the name is: the mail host, a domain's mta-sts.<domain>, or a redirected root domain's <domain> / www.<domain>",
      ),
    notBefore: z.string(),
    notAfter: z.string(),
    daysLeft: z.number().int().describe('Whole days until it expires; negative once expired'),
    renewalDue: z
      .boolean()
      .describe(
        `Fewer than ${RENEW_DAYS_BEFORE_EXPIRY} days left: the next renewal run replaces it`,
      ),
  })
  .meta({ id: 'Certificate' });

const WebCertificatesSchema = z
  .object({
    issued: z
      .array(CertificateSchema)
      .describe('The certificates obtained now, of <domain> and www.<domain>'),
    failed: z
      .array(
        z.object({
          name: z.string().describe('The host name the CA did not issue for'),
          message: z.string().describe("The CA's reason (e.g. the name's DNS points elsewhere)"),
        }),
      )
      .describe('Each name on its own: one failing leaves the other issued; empty when both were'),
  })
  .meta({ id: 'WebCertificates' });

export const certificateRoutes =
  (ctx: ServiceContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/certificates', {
      config: { scope: 'domains:read' },
      schema: {
        tags: ['certificates'],
        summary:
          "The certificates this host obtained: the mail host's, and the MTA-STS and web hosts of your domains",
        response: { 200: z.object({ items: z.array(CertificateSchema) }), ...problems(409) },
      },
      handler: async (req) => ({ items: await listCertificates(ctx, req.actor) }),
    });

    app.post('/v1/domains/:name/mta-sts-certificate', {
      config: { scope: 'domains:write' },
      schema: {
        tags: ['certificates'],
        summary:
          'Obtain (or replace) the certificate of mta-sts.<domain> from the ACME CA; the domain must be verified',
        params: NameParam,
        response: { 200: CertificateSchema, ...problems(404, 409, 422) },
      },
      handler: async (req) => issueCertificate(ctx, mtaStsHost(req.params.name), req.actor),
    });

    app.post('/v1/domains/:name/web-certificates', {
      config: { scope: 'domains:write' },
      schema: {
        tags: ['certificates'],
        summary:
          'Obtain (or replace) the certificates of <domain> and www.<domain>, the hosts a web redirect answers; the domain must be a verified root domain with redirectTo set',
        params: NameParam,
        response: { 200: WebCertificatesSchema, ...problems(404, 409, 422) },
      },
      handler: async (req) => issueWebCertificates(ctx, req.params.name, req.actor),
    });
  };
