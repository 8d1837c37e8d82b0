import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { mtaStsHost, RENEW_DAYS_BEFORE_EXPIRY } from '../../core/certificates.js';
import type { ServiceContext } from '../../services/context.js';
import { issueCertificate } from '../../services/certificates/issue-certificate.js';
import { listCertificates } from '../../services/certificates/list-certificates.js';
import { problems } from '../schemas.js';
import { NameParam } from './domains.js';

const CertificateSchema = z
  .object({
    name: z.string().describe('The host name it is for (A-label)'),
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

export const certificateRoutes =
  (ctx: ServiceContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/certificates', {
      config: { scope: 'domains:read' },
      schema: {
        tags: ['certificates'],
        summary:
          "The certificates this host obtained: the mail host's and the MTA-STS hosts of your domains",
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
  };
