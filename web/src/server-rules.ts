/**
 * The server's own limits and rules that the console's instant feedback repeats, imported from
 * src/core (modules that reach no Node module) so the two cannot drift apart. The API still
 * decides: these only spare a round trip.
 */
export { DEFAULT_QUOTA_MB, MAX_QUOTA_MB, MIN_QUOTA_MB } from '../../src/core/quota.js';
export { MIN_PASSWORD_LENGTH, MIN_PASSWORD_SCORE } from '../../src/core/password-policy.js';
export { MAX_PAGE_LIMIT } from '../../src/core/page-limit.js';
export { splitLabels, splitLines } from '../../src/core/split-labels.js';
export {
  CREDENTIALS_FORMAT_LABELS,
  CREDENTIALS_FORMATS,
  DEFAULT_CREDENTIALS_FORMAT,
  type CredentialsFormat,
} from '../../src/core/credentials-formats.js';
export { MAX_DOMAIN_NAMES } from '../../src/core/limits.js';
export { MAX_SPREAD_DOMAINS, MAX_SPREAD_PERSONAS } from '../../src/core/spread.js';
export {
  SEND_LIMIT_RANGE,
  WARMUP_INCREMENT_RANGE,
  WARMUP_LIMIT_RANGE,
} from '../../src/core/sending.js';
export {
  MAX_TOKEN_DOMAINS,
  SCOPE_DESCRIPTIONS,
  SCOPES,
  type Scope,
} from '../../src/core/token-scopes.js';
export {
  MAX_WEBHOOK_URL_LENGTH,
  WEBHOOK_EVENT_DESCRIPTIONS,
  WEBHOOK_EVENTS,
  WEBHOOK_SECRET_LENGTH,
  type WebhookEvent,
} from '../../src/core/webhook-events.js';
export { mtaStsHost, RENEW_DAYS_BEFORE_EXPIRY, webHosts } from '../../src/core/certificates.js';
