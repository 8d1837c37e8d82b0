import { notFound } from '../../core/errors.js';
import { appendEvent } from '../../store/events.js';
import { deleteWebhook as deleteRow } from '../../store/webhooks.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';
import { assertWholeAccount } from './support/webhook-view.js';

/** Removes the endpoint with its pending deliveries: it gets nothing more, not even retries. */
export async function deleteWebhook(ctx: ServiceContext, actor: Actor, id: string): Promise<void> {
  assertWholeAccount(actor);
  await ctx.store.db.transaction().execute(async (trx) => {
    if (!(await deleteRow(trx, actor.accountId, id))) throw notFound('webhook', id);
    await appendEvent(trx, {
      accountId: actor.accountId,
      actor: actor.name,
      action: 'webhook.deleted',
      target: id,
      now: nowIso(ctx),
    });
  });
}
