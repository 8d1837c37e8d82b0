// Webhook rules the console repeats; free of Node modules (unlike core/webhooks.ts) so it can.
import { fail, ok, type Checked } from './errors.js';

/**
 * The audit events a webhook endpoint can subscribe to; a delivery's `type` is the event's
 * action as the audit log names it.
 */
export const WEBHOOK_EVENTS = [
  'job.finished',
  'domain.verified',
  'domain.deleted',
  'dns.check_failed',
  'mailbox.created',
  'mailbox.deleted',
  'mailbox.send_limit_reached',
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const isWebhookEvent = (action: string): action is WebhookEvent =>
  (WEBHOOK_EVENTS as readonly string[]).includes(action);

/** What each event reports, as the console and the CLI's help say it. */
export const WEBHOOK_EVENT_DESCRIPTIONS: Readonly<Record<WebhookEvent, string>> = {
  'job.finished': 'a bulk create, import or bulk delete job ended (with its counts)',
  'domain.verified': 'a domain proved its ownership',
  'domain.deleted': 'a domain was deleted',
  'dns.check_failed':
    'a live DNS check found records missing or wrong (once per change in what fails)',
  'mailbox.created': 'a mailbox was created (one event per mailbox of a bulk job)',
  'mailbox.deleted': 'a mailbox was deleted',
  'mailbox.send_limit_reached': 'a mailbox reached its hourly or daily sending limit',
};

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** A signing secret the receiver chose: long enough to resist guessing, short enough for headers. */
export const WEBHOOK_SECRET_LENGTH = [32, 256] as const;

/**
 * A signing secret given instead of a generated one (e.g. one the receiver already verifies):
 * 32–256 printable ASCII characters without spaces, so it is the same bytes in every
 * language's HMAC and survives environment files and shell quoting.
 */
export function checkWebhookSecret(input: string): Checked<string> {
  const [min, max] = WEBHOOK_SECRET_LENGTH;
  if (!/^[\x21-\x7e]*$/.test(input)) {
    return fail(
      'invalid_character',
      'Use only printable ASCII characters without spaces in the secret (letters, digits, punctuation).',
    );
  }
  if (input.length < min) {
    return fail(
      'too_short',
      `Use a secret of at least ${min} characters (this has ${input.length}), or leave it out to have one generated.`,
    );
  }
  if (input.length > max) {
    return fail(
      'too_long',
      `Use a secret of at most ${max} characters (this has ${input.length}).`,
    );
  }
  return ok(input);
}

/** Event types as given, each once, in WEBHOOK_EVENTS order. */
export function checkWebhookEvents(input: readonly string[]): Checked<WebhookEvent[]> {
  if (input.length === 0) {
    return fail('required', `Subscribe to at least one event: ${WEBHOOK_EVENTS.join(', ')}.`);
  }
  const unknown = input.find((e) => !isWebhookEvent(e));
  if (unknown !== undefined) {
    return fail(
      'unknown_event',
      `"${unknown}" is not a webhook event; use ${WEBHOOK_EVENTS.join(', ')}.`,
    );
  }
  return ok(WEBHOOK_EVENTS.filter((e) => input.includes(e)));
}
