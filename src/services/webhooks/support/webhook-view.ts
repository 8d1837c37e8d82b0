import { AppError } from '../../../core/errors.js';
import type { WebhookEvent } from '../../../core/webhook-events.js';
import type { WebhookDeliveryRow, WebhookRow } from '../../../store/schema.js';
import { actorDomains, type Actor } from '../../context.js';

export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  createdAt: string;
}

export interface WebhookDelivery {
  id: string;
  event: string;
  status: WebhookDeliveryRow['status'];
  attempts: number;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  responseStatus: number | null;
  error: string | null;
}

export const toWebhook = (row: WebhookRow): Webhook => ({
  id: row.id,
  url: row.url,
  events: JSON.parse(row.events) as WebhookEvent[],
  createdAt: row.created_at,
});

export const toDelivery = (row: WebhookDeliveryRow): WebhookDelivery => ({
  id: row.id,
  event: row.event_type,
  status: row.status,
  attempts: row.attempts,
  createdAt: row.created_at,
  lastAttemptAt: row.last_attempt_at,
  nextAttemptAt: row.next_attempt_at,
  responseStatus: row.response_status,
  error: row.last_error,
});

/**
 * Webhooks report events of every domain of the account, so a token limited to some domains may
 * not see or manage them.
 */
export function assertWholeAccount(actor: Actor): void {
  if (actorDomains(actor) === null) return;
  throw new AppError(
    'forbidden',
    'insufficient_scope',
    'Webhooks report events of every domain of the account: manage them with a token that is not limited to domains, or in the console.',
  );
}
