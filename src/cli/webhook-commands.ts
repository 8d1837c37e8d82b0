import type { Command } from 'commander';
import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENTS } from '../core/webhook-events.js';
import { MAX_WEBHOOK_ATTEMPTS, WEBHOOK_DELIVERY_LOG_SIZE } from '../core/webhooks.js';
import { createWebhook } from '../services/webhooks/create-webhook.js';
import { deleteWebhook } from '../services/webhooks/delete-webhook.js';
import { listWebhookDeliveries } from '../services/webhooks/list-webhook-deliveries.js';
import { listWebhooks } from '../services/webhooks/list-webhooks.js';
import { collect, readPasswordFromStdin } from './args.js';
import { SHOWN_ONCE, table } from './format.js';
import type { CliIo } from './io.js';
import { withSession } from './session.js';

export function registerWebhookCommands(program: Command, io: CliIo): void {
  const webhook = program
    .command('webhook')
    .description(
      `signed HTTPS POSTs of the account's events (retried up to ${MAX_WEBHOOK_ATTEMPTS} times)`,
    );

  webhook
    .command('add <url>')
    .description('add an endpoint; prints its signing secret, shown once')
    .requiredOption(
      '--event <type>',
      `an event to deliver, repeatable: ${WEBHOOK_EVENTS.map((e) => `${e} (${WEBHOOK_EVENT_DESCRIPTIONS[e]})`).join('; ')}`,
      collect,
    )
    .option(
      '--secret-stdin',
      'read your own signing secret from the first line of standard input instead of generating one',
    )
    .action((url: string, opts: { event: string[]; secretStdin?: boolean }, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const created = await createWebhook(s.ctx, await s.actor(), {
          url,
          events: opts.event,
          ...(opts.secretStdin ? { secret: await readPasswordFromStdin(io, cmd) } : {}),
        });
        if (s.json) return s.printJson(created);
        s.out(`Added webhook ${created.id} → ${created.url} (${created.events.join(', ')})`);
        if (created.secret) s.out(`Signing secret (${SHOWN_ONCE}): ${created.secret}`);
        else s.out('Deliveries are signed with the secret you gave.');
      }),
    );

  webhook
    .command('list')
    .description("the account's endpoints")
    .action((_opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const { items } = await listWebhooks(s.ctx, await s.actor());
        if (s.json) return s.printJson({ items });
        if (items.length === 0)
          return s.out('No webhooks yet: mailwright webhook add URL --event …');
        s.out(
          table(
            ['ID', 'URL', 'EVENTS', 'CREATED'],
            items.map((w) => [w.id, w.url, w.events.join(','), w.createdAt]),
          ),
        );
      }),
    );

  webhook
    .command('deliveries <id>')
    .description(`an endpoint's ${WEBHOOK_DELIVERY_LOG_SIZE} newest deliveries`)
    .action((id: string, _opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const { items } = await listWebhookDeliveries(s.ctx, await s.actor(), id);
        if (s.json) return s.printJson({ items });
        s.out(
          table(
            ['CREATED', 'EVENT', 'STATUS', 'ATTEMPTS', 'NEXT', 'LAST ERROR'],
            items.map((d) => [
              d.createdAt,
              d.event,
              d.status,
              String(d.attempts),
              d.nextAttemptAt ?? '',
              d.error ?? '',
            ]),
          ),
        );
      }),
    );

  webhook
    .command('remove <id>')
    .description('remove an endpoint; its pending deliveries are dropped')
    .action((id: string, _opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        await deleteWebhook(s.ctx, await s.actor(), id);
        if (s.json) return s.printJson({ id, removed: true });
        s.out(`Removed webhook ${id}.`);
      }),
    );
}
