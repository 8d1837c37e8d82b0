/**
 * Shapes of the REST API as the console reads them: generated from openapi.json
 * (`npm run openapi` writes openapi.d.ts beside this file), so a change of the API that the
 * console does not follow is a type error.
 */
import type { components, paths } from './openapi';

type Schemas = components['schemas'];

/** The JSON body of a path's successful answer. */
type Answer<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends { 200: { content: { 'application/json': infer T } } }
    ? T
    : R extends { 201: { content: { 'application/json': infer T } } }
      ? T
      : never
  : never;

/** RFC 9457 problem details, with the extras some errors carry (retryAt, host, found…). */
export type Problem = Schemas['Problem'];
/** One input field's problem: `field` is its dotted path, e.g. `name` or `password.value`. */
export type FieldIssue = NonNullable<Problem['errors']>[number];

export type Session = Schemas['Session'];
export type Domain = Schemas['Domain'];
export type DnsRecord = Schemas['DnsRecord'];
export type DnsStatus = DnsRecord['status'];
export type RecordType = DnsRecord['type'];
export type DnsPlan = Answer<'/v1/domains/{name}/dns', 'get'>;
export type Mailbox = Schemas['Mailbox'];
/** GET /v1/mailboxes/{address}: a mailbox with what it stores. */
export type MailboxDetail = Schemas['MailboxDetail'];
export type Job = Schemas['Job'];
export type LimitsOverview = Answer<'/v1/limits', 'get'>;
export type Cooldown = LimitsOverview['cooldowns']['bulkMailboxes'];
export type BulkPreview = Extract<Answer<'/v1/mailboxes', 'post'>, { preview: unknown }>['preview'];
export type AuditEvent = Schemas['AuditEvent'];
export type ApiToken = Schemas['ApiToken'];

export type PasswordChoice = { generate: true } | { generate: false; value: string };

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
