import { IssueCollector } from '../../core/errors.js';
import { assertWithinLimit } from '../../core/limits.js';
import { checkWebhookEvents, checkWebhookSecret } from '../../core/webhook-events.js';
import {
  checkWebhookUrl,
  generateWebhookSecret,
  MAX_WEBHOOKS_PER_ACCOUNT,
} from '../../core/webhooks.js';
import { appendEvent } from '../../store/events.js';
import { lockAccount } from '../../store/limits.js';
import { countWebhooks, insertWebhook } from '../../store/webhooks.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';
import { assertWholeAccount, type Webhook } from './support/webhook-view.js';

export interface CreatedWebhook extends Webhook {
  /**
   * A generated secret, shown this once; stored sealed with the server key, since every
   * delivery is signed with it. Absent when the caller gave the secret: it is never sent back.
   */
  secret?: string;
}

/**
 * Adds an endpoint that gets the account's events of the given types, signed with the secret
 * given or a new one.
 */
export async function createWebhook(
  ctx: ServiceContext,
  actor: Actor,
  input: { url: string; events: readonly string[]; secret?: string },
): Promise<CreatedWebhook> {
  assertWholeAccount(actor);
  const issues = new IssueCollector();
  const url = issues.check('url', checkWebhookUrl(input.url, ctx.webhookAllowPrivate ?? false));
  const events = issues.check('events', checkWebhookEvents(input.events));
  const given =
    input.secret === undefined
      ? undefined
      : issues.check('secret', checkWebhookSecret(input.secret));
  issues.throwIfAny();
  const secret = given ?? generateWebhookSecret();
  const createdAt = nowIso(ctx);
  const id = await ctx.store.db.transaction().execute(async (trx) => {
    await lockAccount(trx, actor.accountId);
    assertWithinLimit({
      limit: 'Webhook endpoints per account',
      field: 'url',
      usage: await countWebhooks(trx, actor.accountId),
      requested: 1,
      max: MAX_WEBHOOKS_PER_ACCOUNT,
      hint: 'Remove an endpoint you no longer use.',
    });
    const webhookId = await insertWebhook(trx, {
      account_id: actor.accountId,
      url: url!,
      events: JSON.stringify(events),
      secret_sealed: ctx.secrets.cipher.encrypt(secret),
      created_at: createdAt,
    });
    await appendEvent(trx, {
      accountId: actor.accountId,
      actor: actor.name,
      action: 'webhook.created',
      target: webhookId,
      // A receiver may carry its own token in the query string: the audit log keeps none of it.
      details: { url: withoutQuery(url!), events: events! },
      now: createdAt,
    });
    return webhookId;
  });
  return { id, url: url!, events: events!, createdAt, ...(given === undefined ? { secret } : {}) };
}

/** The endpoint as the audit log names it: origin and path, with any query string elided. */
function withoutQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}${parsed.search ? '?…' : ''}`;
}
