import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_APP_PASSWORDS_PER_MAILBOX } from '../../core/app-password.js';
import { MAX_TOKEN_LABEL_LENGTH } from '../../core/token-label.js';
import type { ServiceContext } from '../../services/context.js';
import { createAppPassword } from '../../services/app-passwords/create-app-password.js';
import { listAppPasswords } from '../../services/app-passwords/list-app-passwords.js';
import { revokeAppPassword } from '../../services/app-passwords/revoke-app-password.js';
import { checkedByService, LOGIN_CHANGE_UNAVAILABLE, problems, strictFields } from '../schemas.js';

const AppPasswordSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    createdAt: z.string(),
    lastUsedAt: z
      .string()
      .nullable()
      .describe('The last IMAP or SMTP login with it the mail plane reported; null if none'),
  })
  .meta({ id: 'AppPassword' });

const AddressParam = z.object({ address: z.string() });

export const appPasswordRoutes =
  (ctx: ServiceContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/mailboxes/:address/app-passwords', {
      config: { scope: 'mailboxes:read' },
      schema: {
        tags: ['mailboxes'],
        summary: "The mailbox's app passwords, oldest first (never the passwords)",
        params: AddressParam,
        response: { 200: z.object({ items: z.array(AppPasswordSchema) }), ...problems(404) },
      },
      handler: async (req) => listAppPasswords(ctx, req.actor, req.params.address),
    });

    app.post('/v1/mailboxes/:address/app-passwords', {
      config: { scope: 'mailboxes:write' },
      schema: {
        tags: ['mailboxes'],
        summary: `Generate an app password for IMAP and SMTP logins (at most ${MAX_APP_PASSWORDS_PER_MAILBOX} per mailbox); the password is in this response only`,
        params: AddressParam,
        body: strictFields({
          label: checkedByService(z.string(), {
            minLength: 1,
            maxLength: MAX_TOKEN_LABEL_LENGTH,
          }).describe(`Where it is used, e.g. "phone", 1–${MAX_TOKEN_LABEL_LENGTH} characters`),
        }),
        response: {
          201: AppPasswordSchema.extend({
            password: z
              .string()
              .describe(
                'Shown once: only its argon2id hash is stored. Log in with the mailbox address and this',
              ),
          }),
          ...problems(404, 422),
        },
      },
      handler: async (req, reply) =>
        reply.code(201).send(await createAppPassword(ctx, req.actor, req.params.address, req.body)),
    });

    app.delete('/v1/mailboxes/:address/app-passwords/:id', {
      config: { scope: 'mailboxes:write' },
      schema: {
        tags: ['mailboxes'],
        summary: 'Revoke one app password: its next login is refused, the others keep working',
        description: LOGIN_CHANGE_UNAVAILABLE,
        params: AddressParam.extend({ id: z.string() }),
        response: { 204: z.null(), ...problems(404, 503) },
      },
      handler: async (req, reply) => {
        await revokeAppPassword(ctx, req.actor, req.params.address, req.params.id);
        return reply.code(204).send(null);
      },
    });
  };
