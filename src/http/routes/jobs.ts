import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../services/context.js';
import { downloadCredentials } from '../../services/download-credentials.js';
import { getJob, listJobs } from '../../services/get-job.js';
import { JobSchema, PageQuery, pageOf, problems } from '../schemas.js';

const IdParam = z.object({ id: z.string() });

export const jobRoutes =
  (ctx: ServiceContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/jobs', {
      schema: {
        tags: ['jobs'],
        summary: 'Jobs of this account, newest first',
        querystring: PageQuery.extend({
          status: JobSchema.shape.status.optional(),
        }),
        response: { 200: pageOf(JobSchema), ...problems(422) },
      },
      handler: async (req) => listJobs(ctx, req.actor, req.query),
    });

    app.get('/v1/jobs/:id', {
      schema: {
        tags: ['jobs'],
        summary: 'Progress of one job',
        params: IdParam,
        response: { 200: JobSchema, ...problems(404) },
      },
      handler: async (req) => getJob(ctx, req.actor, req.params.id),
    });

    app.get('/v1/jobs/:id/credentials.csv', {
      schema: {
        tags: ['jobs'],
        summary: 'The generated credentials as CSV: served once, then 410',
        params: IdParam,
        produces: ['text/csv'],
        response: { 200: z.string(), ...problems(404, 409, 410) },
      },
      handler: async (req, reply) => {
        const csv = await downloadCredentials(ctx, req.actor, req.params.id);
        return (
          reply
            .type('text/csv; charset=utf-8')
            .header(
              'content-disposition',
              `attachment; filename="mailwright-credentials-${req.params.id}.csv"`,
            )
            // Secrets: no cache may keep a copy.
            .header('cache-control', 'no-store')
            .send(csv)
        );
      },
    });
  };
