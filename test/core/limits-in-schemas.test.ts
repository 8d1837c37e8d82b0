import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from '../../src/core/idempotency.js';
import {
  checkDomainQuotaMb,
  checkMailboxLimit,
  DEFAULT_DOMAIN_QUOTA_MB,
  DOMAIN_QUOTA_RANGE,
  MAILBOX_LIMIT_RANGE,
  MAX_BULK_DELETE_DOMAINS,
  MAX_BULK_DELETE_MAILBOXES,
  MAX_DOMAIN_NAMES,
  MAX_DOMAIN_NAMES_TEXT,
  MAX_SUBDOMAIN_LABELS,
  MAX_SUBDOMAIN_LABELS_TEXT,
  STAGE_INTERVAL_MINUTES_RANGE,
} from '../../src/core/limits.js';
import { checkLocalPart, MAX_ADDRESS_OCTETS, MAX_LOCAL_OCTETS } from '../../src/core/local-part.js';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../../src/core/page-limit.js';
import { checkPassword } from '../../src/core/password.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../src/core/password-policy.js';
import {
  checkPersonName,
  MAX_PERSON_NAME_LENGTH,
  MIN_PERSON_NAME_LENGTH,
} from '../../src/core/person-name.js';
import {
  checkQuotaMb,
  DEFAULT_QUOTA_MB,
  MAX_QUOTA_MB,
  MIN_QUOTA_MB,
} from '../../src/core/quota.js';
import {
  MAX_SIGN_IN_EMAIL_LENGTH,
  MAX_SIGN_IN_PASSWORD_LENGTH,
} from '../../src/core/sign-in-limits.js';
import { checkTokenLabel, MAX_TOKEN_LABEL_LENGTH } from '../../src/core/token-label.js';

/**
 * The limits of src/core as openapi.json states them. The committed document is read (test/api/
 * openapi.test.ts keeps it equal to the served one), so a limit changed in core without
 * `npm run openapi`, or a schema that retypes a number, fails here in the unit tier.
 */
interface Schema {
  [keyword: string]: unknown;
  properties?: Record<string, Schema>;
  oneOf?: Schema[];
  anyOf?: Schema[];
  items?: Schema;
  enum?: unknown[];
}
interface Operation {
  parameters?: { name: string; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

const doc = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
};

const operation = (method: string, path: string): Operation => {
  const found = doc.paths[path]?.[method];
  if (!found) throw new Error(`openapi.json has no ${method.toUpperCase()} ${path}`);
  return found;
};
const body = (method: string, path: string): Schema =>
  operation(method, path).requestBody!.content['application/json']!.schema;
const param = (method: string, path: string, name: string): Schema =>
  operation(method, path).parameters!.find((p) => p.name === name)!.schema;
const field = (schema: Schema, ...names: string[]): Schema =>
  names.reduce((s, name) => s.properties![name]!, schema);
/** The member of a oneOf whose `key` property is the constant `value`. */
const variant = (schema: Schema, key: string, value: unknown): Schema =>
  schema.oneOf!.find((s) => s.properties?.[key]?.enum?.[0] === value)!;

const single = variant(body('post', '/v1/mailboxes'), 'mode', 'single');
const bulk = variant(body('post', '/v1/mailboxes'), 'mode', 'bulk');
const mailboxPatch = body('patch', '/v1/mailboxes/{address}');
const chosenPassword = (schema: Schema) =>
  field(variant(field(schema, 'password'), 'generate', false), 'value');

const mailboxQuota = { minimum: MIN_QUOTA_MB, maximum: MAX_QUOTA_MB };
const personName = { minLength: MIN_PERSON_NAME_LENGTH, maxLength: MAX_PERSON_NAME_LENGTH };
const password = { minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH };
const [minSlots, maxSlots] = MAILBOX_LIMIT_RANGE;
const [minPool, maxPool] = DOMAIN_QUOTA_RANGE;
const page = { minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT };

const cases: [string, Schema, Record<string, unknown>][] = [
  ['single quotaMb', field(single, 'quotaMb'), { ...mailboxQuota, default: DEFAULT_QUOTA_MB }],
  ['bulk quotaMb', field(bulk, 'quotaMb'), { ...mailboxQuota, default: DEFAULT_QUOTA_MB }],
  ['PATCH mailbox quotaMb', field(mailboxPatch, 'quotaMb'), mailboxQuota],
  ['single name', field(single, 'name'), personName],
  ['bulk name', field(bulk, 'name'), personName],
  ['PATCH mailbox name', field(mailboxPatch, 'name'), personName],
  ['single localPart', field(single, 'localPart'), { maxLength: MAX_LOCAL_OCTETS }],
  ['single password.value', chosenPassword(single), password],
  ['bulk password.value', chosenPassword(bulk), password],
  ['PATCH mailbox password.value', chosenPassword(mailboxPatch), password],
  [
    'bulk stages.intervalMinutes',
    field(bulk, 'stages', 'intervalMinutes'),
    { minimum: STAGE_INTERVAL_MINUTES_RANGE[0], maximum: STAGE_INTERVAL_MINUTES_RANGE[1] },
  ],
  [
    'Idempotency-Key',
    param('post', '/v1/mailboxes', 'idempotency-key'),
    { maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
  ],
  ['mailbox list q', param('get', '/v1/mailboxes', 'q'), { maxLength: MAX_ADDRESS_OCTETS }],
  [
    'mailbox bulk-delete addresses',
    field(body('post', '/v1/mailboxes/bulk-delete'), 'addresses'),
    { maxItems: MAX_BULK_DELETE_MAILBOXES },
  ],
  [
    'POST domain mailboxLimit',
    field(body('post', '/v1/domains'), 'mailboxLimit'),
    { minimum: minSlots, maximum: maxSlots },
  ],
  [
    'POST domain quotaMb',
    field(body('post', '/v1/domains'), 'quotaMb'),
    { minimum: minPool, maximum: maxPool, default: DEFAULT_DOMAIN_QUOTA_MB },
  ],
  [
    'PATCH domain mailboxLimit',
    field(body('patch', '/v1/domains/{name}'), 'mailboxLimit'),
    { minimum: minSlots, maximum: maxSlots },
  ],
  [
    'PATCH domain quotaMb',
    field(body('patch', '/v1/domains/{name}'), 'quotaMb'),
    { minimum: minPool, maximum: maxPool },
  ],
  [
    'domain bulk-delete names',
    field(body('post', '/v1/domains/bulk-delete'), 'names'),
    { maxItems: MAX_BULK_DELETE_DOMAINS },
  ],
  [
    'sub-domain labels as text',
    field(body('post', '/v1/domains/{name}/subdomains'), 'labels').anyOf![0]!,
    { maxLength: MAX_SUBDOMAIN_LABELS_TEXT },
  ],
  [
    'sub-domain labels as a list',
    field(body('post', '/v1/domains/{name}/subdomains'), 'labels').anyOf![1]!,
    { maxItems: MAX_SUBDOMAIN_LABELS },
  ],
  [
    'domain names as text',
    field(body('post', '/v1/domains/batch'), 'names').anyOf![0]!,
    { maxLength: MAX_DOMAIN_NAMES_TEXT },
  ],
  [
    'domain names as a list',
    field(body('post', '/v1/domains/batch'), 'names').anyOf![1]!,
    { maxItems: MAX_DOMAIN_NAMES },
  ],
  [
    'token label',
    field(body('post', '/v1/tokens'), 'label'),
    { minLength: 1, maxLength: MAX_TOKEN_LABEL_LENGTH },
  ],
  [
    'sign-in email',
    field(body('post', '/v1/session'), 'email'),
    { maxLength: MAX_SIGN_IN_EMAIL_LENGTH },
  ],
  [
    'sign-in password',
    field(body('post', '/v1/session'), 'password'),
    { maxLength: MAX_SIGN_IN_PASSWORD_LENGTH },
  ],
  ['domain list limit', param('get', '/v1/domains', 'limit'), page],
  ['mailbox list limit', param('get', '/v1/mailboxes', 'limit'), page],
  ['job list limit', param('get', '/v1/jobs', 'limit'), page],
  ['event list limit', param('get', '/v1/events', 'limit'), page],
];

describe('openapi.json states the limits of src/core', () => {
  it.each(cases)('%s', (_where, schema, keywords) => {
    expect(schema).toMatchObject(keywords);
  });
});

/**
 * The keywords document limits the services check with their own codes, so they are only true
 * if the checks' boundaries are the same constants: the last value inside passes, the first
 * outside is refused.
 */
describe('the documented limits are where the checks refuse', () => {
  const code = (checked: { ok: boolean; code?: string }) => (checked.ok ? 'ok' : checked.code);

  it('mailbox quota', () => {
    expect(code(checkQuotaMb(MIN_QUOTA_MB))).toBe('ok');
    expect(code(checkQuotaMb(MAX_QUOTA_MB))).toBe('ok');
    expect(code(checkQuotaMb(MIN_QUOTA_MB - 1))).toBe('quota_out_of_range');
    expect(code(checkQuotaMb(MAX_QUOTA_MB + 1))).toBe('quota_out_of_range');
  });

  it('domain slots and storage pool', () => {
    expect(code(checkMailboxLimit(minSlots, maxSlots))).toBe('ok');
    expect(code(checkMailboxLimit(maxSlots, maxSlots))).toBe('ok');
    expect(code(checkMailboxLimit(minSlots - 1, maxSlots))).toBe('mailbox_limit_out_of_range');
    expect(code(checkMailboxLimit(maxSlots + 1, maxSlots + 1))).toBe('mailbox_limit_out_of_range');
    expect(code(checkDomainQuotaMb(minPool))).toBe('ok');
    expect(code(checkDomainQuotaMb(maxPool))).toBe('ok');
    expect(code(checkDomainQuotaMb(minPool - 1))).toBe('quota_out_of_range');
    expect(code(checkDomainQuotaMb(maxPool + 1))).toBe('quota_out_of_range');
  });

  it('person name', () => {
    const name = (length: number) => `Jo ${'a'.repeat(length - 3)}`;
    expect(code(checkPersonName(name(MAX_PERSON_NAME_LENGTH)))).toBe('ok');
    expect(code(checkPersonName(name(MAX_PERSON_NAME_LENGTH + 1)))).toBe('too_long');
    expect(code(checkPersonName('J'.repeat(MIN_PERSON_NAME_LENGTH - 1)))).toBe('too_short');
    expect(code(checkPersonName('J'.repeat(MIN_PERSON_NAME_LENGTH)))).not.toBe('too_short');
  });

  it('chosen password', () => {
    const words = 'correct horse battery staple orbit lantern quiet meadow ';
    const of = (length: number) => words.repeat(3).slice(0, length).replace(/ $/, 'x');
    expect(code(checkPassword(of(MIN_PASSWORD_LENGTH - 1), {}))).toBe('password_too_short');
    expect(code(checkPassword(of(MIN_PASSWORD_LENGTH), {}))).not.toBe('password_too_short');
    expect(code(checkPassword(of(MAX_PASSWORD_LENGTH), {}))).toBe('ok');
    expect(code(checkPassword(of(MAX_PASSWORD_LENGTH + 1), {}))).toBe('password_too_long');
  });

  it('local part and token label', () => {
    expect(code(checkLocalPart('a'.repeat(MAX_LOCAL_OCTETS), 'example.com'))).toBe('ok');
    expect(code(checkLocalPart('a'.repeat(MAX_LOCAL_OCTETS + 1), 'example.com'))).toBe('too_long');
    expect(code(checkTokenLabel('a'.repeat(MAX_TOKEN_LABEL_LENGTH)))).toBe('ok');
    expect(code(checkTokenLabel('a'.repeat(MAX_TOKEN_LABEL_LENGTH + 1)))).toBe('too_long');
  });
});
