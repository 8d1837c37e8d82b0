import { notFound } from '../../core/errors.js';
import { WEBHOOK_DELIVERY_LOG_SIZE } from '../../core/webhooks.js';
import { findWebhook, listDeliveries } from '../../store/webhooks.js';
import type { Actor, ServiceContext } from '../context.js';
import { assertWholeAccount, toDelivery, type WebhookDelivery } from './support/webhook-view.js';

/** The endpoint's newest WEBHOOK_DELIVERY_LOG_SIZE deliveries, newest first. */
export async function listWebhookDeliveries(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
): Promise<{ items: WebhookDelivery[] }> {
  assertWholeAccount(actor);
  const { db } = ctx.store;
  if (!(await findWebhook(db, actor.accountId, id))) throw notFound('webhook', id);
  return { items: (await listDeliveries(db, id, WEBHOOK_DELIVERY_LOG_SIZE)).map(toDelivery) };
}
