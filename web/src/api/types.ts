/**
 * Names for the API's component schemas (generated from openapi.json into openapi.d.ts by
 * `npm run openapi`), so a change of the API that the console does not follow is a type error.
 * Answers that are no component are typed by the client itself (`Answer` in client.ts).
 */
import type { components } from './openapi';

type Schemas = components['schemas'];

/** RFC 9457 problem details, with the extras some errors carry (retryAt, host, found…). */
export type Problem = Schemas['Problem'];

export type Session = Schemas['Session'];
export type Domain = Schemas['Domain'];
export type DnsRecord = Schemas['DnsRecord'];
export type DnsStatus = DnsRecord['status'];
export type Mailbox = Schemas['Mailbox'];
export type Alias = Schemas['Alias'];
export type Job = Schemas['Job'];
export type AuditEvent = Schemas['AuditEvent'];
export type ApiToken = Schemas['ApiToken'];
export type AppPassword = Schemas['AppPassword'];
export type Certificate = Schemas['Certificate'];
