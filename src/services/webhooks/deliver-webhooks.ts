import {
  MAX_WEBHOOK_ATTEMPTS,
  nextWebhookAttempt,
  signWebhook,
  WEBHOOK_DELIVERY_RETENTION_DAYS,
  WEBHOOK_TIMEOUT_MS,
} from '../../core/webhooks.js';
import {
  claimDueDeliveries,
  pruneDeliveries,
  recordAttempt,
  type DueDelivery,
} from '../../store/webhooks.js';
import type { ServiceContext } from '../context.js';
import { postWebhook } from './support/post-webhook.js';

/** Deliveries one pass sends at once. */
const BATCH = 20;
/** Long enough for an attempt to end (timeout) and be recorded before another process retries. */
const CLAIM_MS = WEBHOOK_TIMEOUT_MS * 3;

/**
 * Sends the webhook deliveries that are due, at most BATCH, each once; a 2xx settles it, any
 * other answer or none schedules the next attempt (core/webhooks.ts) or gives up after
 * MAX_WEBHOOK_ATTEMPTS. Returns how many were attempted. Run by the job runner's loop; any
 * number of processes may run it.
 *
 * Then the endpoints it sent to lose their settled deliveries older than
 * WEBHOOK_DELIVERY_RETENTION_DAYS: the log stays bounded where deliveries keep coming, and an
 * endpoint that gets none keeps what it had.
 */
export async function deliverDueWebhooks(ctx: ServiceContext): Promise<number> {
  const now = ctx.clock();
  const claimed = await claimDueDeliveries(
    ctx.store.db,
    now.toISOString(),
    new Date(now.getTime() + CLAIM_MS).toISOString(),
    BATCH,
  );
  await Promise.all(claimed.map((delivery) => attempt(ctx, delivery)));
  if (claimed.length > 0) {
    await pruneDeliveries(
      ctx.store.db,
      [...new Set(claimed.map((d) => d.webhook_id))],
      new Date(now.getTime() - WEBHOOK_DELIVERY_RETENTION_DAYS * 86_400_000).toISOString(),
    );
  }
  return claimed.length;
}

async function attempt(ctx: ServiceContext, delivery: DueDelivery): Promise<void> {
  const unix = Math.floor(ctx.clock().getTime() / 1000);
  const secret = ctx.secrets.cipher.decrypt(delivery.secret_sealed);
  const outcome = await postWebhook({
    url: delivery.url,
    body: delivery.payload,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Mailwright-Webhooks',
      'mailwright-signature': signWebhook(secret, unix, delivery.payload),
      'mailwright-event': delivery.event_type,
      'mailwright-delivery': delivery.id,
    },
    allowPrivate: ctx.webhookAllowPrivate ?? false,
    ...(ctx.webhookLookup ? { resolve: ctx.webhookLookup } : {}),
  });
  const attempts = delivery.attempts + 1;
  const at = ctx.clock();
  const delivered = 'status' in outcome && outcome.status >= 200 && outcome.status < 300;
  const next =
    delivered || attempts >= MAX_WEBHOOK_ATTEMPTS ? null : nextWebhookAttempt(attempts, at);
  await recordAttempt(ctx.store.db, delivery.id, {
    status: delivered ? 'delivered' : next === null ? 'failed' : 'pending',
    attempts,
    nextAttemptAt: next?.toISOString() ?? null,
    at: at.toISOString(),
    responseStatus: 'status' in outcome ? outcome.status : null,
    error: delivered ? null : 'error' in outcome ? outcome.error : `HTTP ${outcome.status}`,
  });
}
