import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../services/context.js';
import { createMailbox } from '../../services/create-mailbox.js';
import { deleteMailbox } from '../../services/delete-mailbox.js';
import { getMailbox } from '../../services/find-mailbox.js';
import { listMailboxes } from '../../services/list-mailboxes.js';
import { updateMailbox } from '../../services/update-mailbox.js';
import { MailboxSchema, PageQuery, PasswordChoiceSchema, pageOf, problems } from '../schemas.js';

const AddressParam = z.object({ address: z.string() });
const WithPassword = z.object({
  mailbox: MailboxSchema,
  password: z.string().optional().describe('Only when generated: shown once, never retrievable again'),
});

const SingleMailbox = z.object({
  mode: z.literal('single'),
  name: z.string().describe('A real person\'s name, e.g. "Josh Smith" (not "Admin")'),
  localPart: z.string().describe('The part before @'),
  domain: z.string().describe('A verified root domain or sub-domain of this account'),
  password: PasswordChoiceSchema,
  quotaMb: z.number().optional().describe('10–102400, default 1024'),
});

export const mailboxRoutes = (ctx: ServiceContext): FastifyPluginAsyncZod => async (app) => {
  app.post('/v1/mailboxes', {
    schema: {
      tags: ['mailboxes'],
      summary: 'Create a mailbox',
      body: z.discriminatedUnion('mode', [SingleMailbox]),
      response: { 201: WithPassword, ...problems(404, 409, 422) },
    },
    handler: async (req, reply) => reply.code(201).send(await createMailbox(ctx, req.actor, req.body)),
  });

  app.get('/v1/mailboxes', {
    schema: {
      tags: ['mailboxes'],
      summary: 'List mailboxes in address order, optionally by domain or address prefix',
      querystring: PageQuery.extend({
        domain: z.string().optional(),
        q: z.string().optional().describe('Address prefix, e.g. "jo" or "josh@sales."'),
      }),
      response: { 200: pageOf(MailboxSchema), ...problems(404, 422) },
    },
    handler: async (req) => listMailboxes(ctx, req.actor, req.query),
  });

  app.get('/v1/mailboxes/:address', {
    schema: { tags: ['mailboxes'], params: AddressParam, response: { 200: MailboxSchema, ...problems(404) } },
    handler: async (req) => getMailbox(ctx, req.actor, req.params.address),
  });

  app.patch('/v1/mailboxes/:address', {
    schema: {
      tags: ['mailboxes'],
      summary: 'Change name, quota, active or password (a generated one is returned once)',
      params: AddressParam,
      body: z.object({
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
    schema: { tags: ['mailboxes'], params: AddressParam, response: { 204: z.null(), ...problems(404) } },
    handler: async (req, reply) => {
      await deleteMailbox(ctx, req.actor, req.params.address);
      return reply.code(204).send(null);
    },
  });
};
