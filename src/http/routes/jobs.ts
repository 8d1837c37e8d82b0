import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CREDENTIALS_FORMATS,
  DEFAULT_CREDENTIALS_FORMAT,
  type CredentialsFormat,
} from '../../core/credentials-formats.js';
import { CREDENTIALS_RETRY_TEXT, CREDENTIALS_TTL_TEXT } from '../../core/credentials-retention.js';
import { cancelJob } from '../../services/jobs/cancel-job.js';
import type { ServiceContext } from '../../services/context.js';
import { checkCredentials, downloadCredentials } from '../../services/jobs/download-credentials.js';
import { getJob } from '../../services/jobs/get-job.js';
import { listJobs } from '../../services/jobs/list-jobs.js';
import { JobSchema, PageQuery, pageOf, problems } from '../schemas.js';

const IdParam = z.object({ id: z.string() });

const FormatQuery = z.object({
  format: z
    .enum(CREDENTIALS_FORMATS)
    .default(DEFAULT_CREDENTIALS_FORMAT)
    .describe(`The file's columns: ${CREDENTIALS_FORMATS.join(', ')}`),
});

export const jobRoutes =
  (ctx: ServiceContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/jobs', {
      config: { scope: 'jobs:read' },
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
      config: { scope: 'jobs:read' },
      schema: {
        tags: ['jobs'],
        summary: 'Progress of one job',
        params: IdParam,
        response: { 200: JobSchema, ...problems(404) },
      },
      handler: async (req) => getJob(ctx, req.actor, req.params.id),
    });

    app.post('/v1/jobs/:id/cancel', {
      config: { scope: 'mailboxes:write' },
      schema: {
        tags: ['jobs'],
        summary: 'Cancel a job that has not finished',
        description:
          'The job ends `cancelled`: items not yet carried out never will be (a running job stops at its next ' +
          'batch boundary), items done stay done, and the credentials of mailboxes already created can be ' +
          'downloaded as for a finished job. 409 job_finished when it had finished already.',
        params: IdParam,
        response: { 200: JobSchema, ...problems(404, 409) },
      },
      handler: async (req) => cancelJob(ctx, req.actor, req.params.id),
    });

    const csvHeaders = (reply: FastifyReply, id: string, format: CredentialsFormat) =>
      reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="mailwright-credentials-${id}${format === DEFAULT_CREDENTIALS_FORMAT ? '' : `-${format}`}.csv"`,
        )
        // Secrets: no cache may keep a copy.
        .header('cache-control', 'no-store');
    // Fastify's own HEAD for a GET would run the download (and its effect) and drop the body;
    // this one answers what the download would, changing nothing (`curl -I`, link checkers).
    // Documented with the GET: OpenAPI leaves HEAD operations out.
    app.head('/v1/jobs/:id/credentials.csv', {
      config: { scope: 'credentials:read', csrfOnRead: true },
      schema: { hide: true, params: IdParam, querystring: FormatQuery },
      handler: async (req, reply) => {
        await checkCredentials(ctx, req.actor, req.params.id, credentialsHolder(req));
        return csvHeaders(reply, req.params.id, req.query.format).send();
      },
    });

    app.get('/v1/jobs/:id/credentials.csv', {
      exposeHeadRoute: false,
      // A read with an effect: a console request must prove it comes from the console.
      config: { scope: 'credentials:read', csrfOnRead: true },
      schema: {
        tags: ['jobs'],
        summary: 'The generated credentials as CSV: served once, then 410',
        description:
          `The first download marks the credentials downloaded. For ${CREDENTIALS_RETRY_TEXT} after it, the same ` +
          'API token or console session (and no other) may download the same file again, so a transfer that ' +
          `broke off loses nothing; then the passwords are erased. Credentials never downloaded are erased ${CREDENTIALS_TTL_TEXT} ` +
          'after the job finished. A console request (cookie) must send X-CSRF-Token, as for a POST. ' +
          'HEAD answers the status and headers GET would, without downloading. `format` picks the ' +
          "columns: Mailwright's own (`generic`) or the bulk-import file of a sending tool; the first " +
          'download, in whichever format, is the one.',
        params: IdParam,
        querystring: FormatQuery,
        produces: ['text/csv'],
        response: { 200: z.string(), ...problems(403, 404, 409, 410) },
      },
      handler: async (req, reply) => {
        const csv = await downloadCredentials(ctx, req.actor, req.params.id, {
          holder: credentialsHolder(req),
          format: req.query.format,
        });
        return csvHeaders(reply, req.params.id, req.query.format).send(csv);
      },
    });
  };

/** The console session or API token behind a request: only it may download credentials again. */
const credentialsHolder = (req: FastifyRequest): string =>
  req.consoleSession ? `session:${req.consoleSession.id}` : req.actor.name;
