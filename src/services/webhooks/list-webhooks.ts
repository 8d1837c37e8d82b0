import { listWebhooks as listRows } from '../../store/webhooks.js';
import type { Actor, ServiceContext } from '../context.js';
import { assertWholeAccount, toWebhook, type Webhook } from './support/webhook-view.js';

/** The account's endpoints, oldest first; never their secrets. */
export async function listWebhooks(
  ctx: ServiceContext,
  actor: Actor,
): Promise<{ items: Webhook[] }> {
  assertWholeAccount(actor);
  return { items: (await listRows(ctx.store.db, actor.accountId)).map(toWebhook) };
}
