import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulk, call, runJobs } from '../bulk/bulk-support.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { httpRequest, rawRequest, type RawReply } from '../support/raw-http.js';

/**
 * The bad-input corpus: malformed requests generated over every operation of the committed
 * openapi.json — broken path values, query values, bodies of every wrong shape, type, size and
 * encoding, control characters, broken HTTP framing — sent over a real socket. Every answer must
 * be a 4xx application/problem+json with a code, and no row of any table may change.
 */

interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  query: Record<string, { type?: string; enum?: string[] }>;
  jsonBody?: { properties: Record<string, JsonSchema>; required: string[] };
  csvBody: boolean;
  /** Open to anyone (sign-in, the MTA-STS policy): credentials play no part. */
  public: boolean;
}
interface JsonSchema {
  type?: string;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}
interface Case {
  name: string;
  request: Buffer;
  /** Exact status when the rule says one (authentication); otherwise any 4xx. */
  status?: number;
}

const openapi = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'));

function operations(): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries<Record<string, any>>(openapi.paths)) {
    for (const [method, op] of Object.entries<any>(methods)) {
      const params: any[] = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      const json = content['application/json']?.schema as JsonSchema | undefined;
      const object = json && objectSchema(json);
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: Object.fromEntries(
          params.filter((p) => p.in === 'query').map((p) => [p.name, p.schema ?? {}]),
        ),
        ...(object
          ? { jsonBody: { properties: object.properties ?? {}, required: object.required ?? [] } }
          : {}),
        csvBody: 'text/csv' in content,
        public: Array.isArray(op.security) && op.security.length === 0,
      });
    }
  }
  return ops;
}

/** The object alternative of a body schema (POST /v1/mailboxes is a oneOf; rotate allows null). */
function objectSchema(schema: JsonSchema): JsonSchema | undefined {
  if (schema.properties) return schema;
  const merged: JsonSchema = { properties: {}, required: [] };
  for (const alt of [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) {
    Object.assign(merged.properties!, alt.properties ?? {});
    if (alt.required) merged.required = alt.required;
  }
  return Object.keys(merged.properties!).length > 0 ? merged : undefined;
}

/** Values that make a body valid, so a mutation is the only fault: a lenient server would act. */
const VALID_BODIES: Record<string, Record<string, unknown>> = {
  'POST /v1/domains': { name: 'corpus-new.com' },
  'PATCH /v1/domains/{name}': { quotaMb: 20000 },
  'POST /v1/domains/bulk-delete': { names: ['pending.com'] },
  'POST /v1/domains/{name}/subdomains': { labels: 'corpus' },
  'POST /v1/mailboxes': {
    mode: 'single',
    name: 'Ann Lee',
    localPart: 'ann',
    domain: 'example.com',
    password: { generate: true },
  },
  'POST /v1/mailboxes/bulk-delete': { addresses: ['josh.smith@example.com'] },
  'POST /v1/mailboxes/bulk-forwarding': { addresses: ['josh.smith@example.com'], forwarding: null },
  'PATCH /v1/mailboxes/{address}': { quotaMb: 2048 },
  'POST /v1/domains/{name}/dkim/rotate': { algorithm: 'rsa' },
  'POST /v1/domains/{name}/dkim/retire': { selector: 'nope' },
  'POST /v1/session': { email: 'nobody@example.com', password: 'not the password' },
  'POST /v1/tokens': { label: 'corpus', scopes: ['admin'] },
};

/** Path values that name nothing and break a rule: control characters, encodings, sizes. */
const BAD_PATH_VALUES = [
  '%00',
  'a%00b.com',
  '%01',
  'x%7F',
  '%1B%5B31m',
  '%FF',
  '%C3%28',
  '%ZZ',
  '%',
  'a'.repeat(300),
  'a'.repeat(5000),
  '..%2F..%2Fetc%2Fpasswd',
  '%20',
  '%E2%80%AEmoc.elpmaxe',
];

const BAD_QUERY_VALUES: Record<string, string[]> = {
  limit: ['0x10', '-1', '0', '501', '1e3', '1.5', '%00', '', 'NaN', '9'.repeat(400)],
  cursor: ['AA', '%00', '!!!', 'x'.repeat(5000), '%FF'],
  q: ['%00', 'a%01b', '%FF', 'x'.repeat(5000)],
  domain: ['%00', 'https%3A%2F%2Fwww.example.com%2F', '%FF', 'a'.repeat(300)],
  status: ['bogus', '%00', ''],
  check: ['maybe', '%00', '2'],
};

/** For a field of `schema`, values of the wrong type, a forbidden character or an absurd size. */
function badFieldValues(schema: JsonSchema): unknown[] {
  const types = new Set(
    [schema, ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].map((s) => s.type).filter(Boolean),
  );
  const values: unknown[] = [];
  // `forwarding: null` removes a forward: null is a value there, not a fault.
  if (!types.has('null')) values.push(null);
  if (!types.has('string')) values.push('text');
  if (!types.has('number') && !types.has('integer')) values.push(42);
  if (!types.has('boolean')) values.push(true);
  if (!types.has('array')) values.push(['a']);
  if (!types.has('object')) values.push({ nested: 'object' });
  if (types.has('string')) {
    values.push('a\u0000b', 'line\u0007bell', 'x'.repeat(100_000));
    if (schema.enum) values.push('bogus');
  }
  if (types.has('number') || types.has('integer')) values.push(-1, 1.5, 1e20, '10');
  if (types.has('boolean')) values.push('true', 1);
  if (types.has('array')) {
    values.push(
      [42],
      ['a\u0000'],
      [[]],
      Array.from({ length: 20_000 }, (_, i) => `a${i}.com`),
    );
  }
  return values;
}

function fill(op: Operation, value: (param: string) => string): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => value(name));
}

/**
 * Path values of an operation's own cases: real resources where a body is what is malformed (a
 * lenient server would then change them), names of nothing for body-less writes (DELETE, verify,
 * publish), so that a wrongly accepted credential cannot destroy the fixtures.
 */
function pathValue(op: Operation, ids: Record<string, string>, param: string): string {
  const bodyless = !op.jsonBody && !op.csvBody && op.method !== 'GET';
  return ids[`${bodyless ? 'absent' : `${op.method} ${op.path}`}:${param}`] ?? ids[param]!;
}

function casesFor(op: Operation, ids: Record<string, string>, token: string): Case[] {
  const auth = { authorization: `Bearer ${token}` };
  const key = `${op.method} ${op.path}`;
  const target = fill(op, (p) => pathValue(op, ids, p));
  const cases: Case[] = [];
  const add = (name: string, request: Buffer, status?: number) =>
    cases.push({ name, request, ...(status ? { status } : {}) });
  const json = (body: string | Buffer, headers: Record<string, string> = {}) =>
    httpRequest(op.method, target, {
      headers: { ...auth, 'content-type': 'application/json', ...headers },
      body,
    });

  for (const param of op.pathParams) {
    for (const bad of BAD_PATH_VALUES) {
      const path = fill(op, (p) => (p === param ? bad : pathValue(op, ids, p)));
      add(`path ${param}=${bad.slice(0, 20)}`, httpRequest(op.method, path, { headers: auth }));
    }
  }

  for (const [name, schema] of Object.entries(op.query)) {
    const values = BAD_QUERY_VALUES[name] ?? ['%00', 'x'.repeat(5000)];
    for (const bad of values) {
      add(
        `query ${name}=${bad.slice(0, 20)}`,
        httpRequest(op.method, `${target}?${name}=${bad}`, { headers: auth }),
      );
    }
    if (schema.type !== 'array') {
      const twice = `${target}?${name}=${values[0]}&${name}=${values[0]}`;
      add(`query ${name} given twice`, httpRequest(op.method, twice, { headers: auth }));
    }
  }

  if (op.jsonBody) {
    const valid = VALID_BODIES[key] ?? {};
    add('body: not JSON', json('{"name": '));
    add('body: JSON array', json('[]'));
    add('body: JSON string', json('"text"'));
    add('body: JSON number', json('42'));
    add('body: trailing garbage', json(`${JSON.stringify(valid)}x`));
    add('body: invalid UTF-8', json(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])));
    add('body: UTF-16', json(Buffer.from(JSON.stringify(valid), 'utf16le')));
    add(
      'body: __proto__ key',
      json(`{"__proto__": {"admin": true}, ${JSON.stringify(valid).slice(1)}`),
    );
    add('body: 2 MiB', json(JSON.stringify({ ...valid, padding: 'x'.repeat(2 * 1024 * 1024) })));
    add('body: nested 100,000 deep', json(`${'['.repeat(100_000)}${']'.repeat(100_000)}`));
    add(
      'body: XML content type',
      json(JSON.stringify(valid), { 'content-type': 'application/xml' }),
    );
    add('body: no content type', json(JSON.stringify(valid), { 'content-type': '' }));
    add('body: unknown field', json(JSON.stringify({ ...valid, zzUnknown: 1 })));
    if (op.jsonBody.required.length > 0 || op.method === 'PATCH') add('body: {}', json('{}'));
    for (const [field, schema] of Object.entries(op.jsonBody.properties)) {
      for (const bad of badFieldValues(schema)) {
        const label = JSON.stringify(bad)?.slice(0, 24);
        add(`body ${field}=${label}`, json(JSON.stringify({ ...valid, [field]: bad })));
      }
    }
  }

  if (op.csvBody) {
    const csv = (body: string | Buffer, type = 'text/csv') =>
      httpRequest(op.method, target, { headers: { ...auth, 'content-type': type }, body });
    add('csv: empty', csv(''));
    add('csv: wrong header', csv('who,where\nAnn Lee,example.com\n'));
    add('csv: NUL in a cell', csv('name,local_part,domain\nAnn\u0000 Lee,ann,example.com\n'));
    add('csv: invalid UTF-8', csv(Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0xff, 0x0a])));
    add('csv: unclosed quote', csv('name,local_part,domain\n"Ann Lee,ann,example.com\n'));
    add(
      'csv: 20,000 rows',
      csv(`name,local_part,domain\n${'Ann Lee,ann,example.com\n'.repeat(20_000)}`),
    );
    add('csv: sent as JSON', csv('{"rows": []}', 'application/json'));
  }

  // Credentials must be given once, in RFC 6750's form: anything else is refused, not guessed.
  if (!op.public) {
    add(
      'auth: two spaces',
      httpRequest(op.method, target, { headers: { authorization: `Bearer  ${token}` } }),
      401,
    );
    add(
      'auth: Basic scheme',
      httpRequest(op.method, target, { headers: { authorization: `Basic ${token}` } }),
      401,
    );
    add(
      'auth: header given twice',
      Buffer.from(
        `${op.method} ${target} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${token}\r\n` +
          `authorization: Bearer ${token}\r\nconnection: close\r\n\r\n`,
      ),
      401,
    );
  }

  // Broken HTTP framing: Node's parser refuses these before any route runs.
  const head = `${op.method} ${target} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${token}\r\nconnection: close\r\n`;
  add(
    'http: Content-Length with Transfer-Encoding',
    Buffer.from(`${head}content-length: 4\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n`),
  );
  add(
    'http: bad chunk size',
    Buffer.from(
      `${head}content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
    ),
  );
  add('http: Content-Length not a number', Buffer.from(`${head}content-length: abc\r\n\r\n`));
  add('http: header line without colon', Buffer.from(`${head}this is not a header\r\n\r\n`));
  add('http: NUL in a header', Buffer.from(`${head}x-note: a\u0000b\r\n\r\n`, 'latin1'));
  add('http: 32 KiB header', Buffer.from(`${head}x-pad: ${'p'.repeat(32 * 1024)}\r\n\r\n`));
  add(
    'http: 32 KiB target',
    Buffer.from(
      `${op.method} ${target}?pad=${'p'.repeat(32 * 1024)} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n`,
    ),
  );
  add(
    'http: no Host header',
    Buffer.from(
      `${op.method} ${target} HTTP/1.1\r\nauthorization: Bearer ${token}\r\nconnection: close\r\n\r\n`,
    ),
  );
  add(
    'http: space in the target',
    Buffer.from(
      `${op.method} ${target}/a b HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n`,
    ),
  );
  return cases;
}

/** Every row of every table, minus the columns a read may touch (last use of a token). */
async function digest(h: Harness): Promise<Record<string, string>> {
  // PostgreSQL's introspection lists every schema's tables; other test files run in their own.
  const own =
    h.ctx.store.dialect === 'postgres'
      ? (await sql<{ s: string }>`select current_schema() as s`.execute(h.ctx.store.db)).rows[0]!.s
      : undefined;
  const tables = await h.ctx.store.db.introspection.getTables();
  const result: Record<string, string> = {};
  for (const table of tables.filter((t) => !t.isView && (own === undefined || t.schema === own))) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table.name)}`.execute(
      h.ctx.store.db,
    );
    const lines = rows.rows
      .map(({ last_used_at: _used, last_seen_at: _seen, ...row }) => JSON.stringify(row))
      .sort();
    result[table.name] =
      `${lines.length} rows ${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 12)}`;
  }
  return result;
}

function verdict(c: Case, reply: RawReply): string | null {
  const wrong = (why: string) => `${c.name}: ${why} (${reply.status} ${reply.body.slice(0, 160)})`;
  if (c.status ? reply.status !== c.status : reply.status < 400 || reply.status > 499)
    return wrong(`expected ${c.status ?? '4xx'}`);
  if (!reply.headers['content-type']?.startsWith('application/problem+json'))
    return wrong(`content type ${reply.headers['content-type']}`);
  if (reply.headers['x-content-type-options'] !== 'nosniff') return wrong('no nosniff');
  let body: { status?: unknown; code?: unknown; detail?: unknown };
  try {
    body = JSON.parse(reply.body);
  } catch {
    return wrong('body is not JSON');
  }
  if (
    body.status !== reply.status ||
    typeof body.code !== 'string' ||
    typeof body.detail !== 'string'
  )
    return wrong('not a problem with status, code and detail');
  if (/\bat .+:\d+:\d+\)?$/m.test(reply.body)) return wrong('a stack trace');
  return null;
}

let total = 0;

for (const dialect of DIALECTS) {
  describe(`the bad-input corpus on ${dialect}`, () => {
    let h: Harness;
    let port: number;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      h = await startHarness(dialect);
      await h.verifiedDomain(h.alice, 'example.com');
      await call(h, 'POST', '/v1/domains', { body: { name: 'pending.com' } });
      await call(h, 'POST', '/v1/domains/example.com/subdomains', { body: { labels: 'sales' } });
      const queued = await call(h, 'POST', '/v1/mailboxes', { body: bulk({ count: 2 }) });
      await runJobs(h);
      // The first GET of a plan creates its DKIM keys: a read with an effect, done before the snapshot.
      await call(h, 'GET', '/v1/domains/example.com/dns');
      const tokens = await call(h, 'GET', '/v1/tokens');
      Object.assign(ids, {
        name: 'example.com',
        address: 'josh.smith@example.com',
        'GET /v1/jobs/{id}:id': queued.body.job.id,
        'GET /v1/jobs/{id}/credentials.csv:id': queued.body.job.id,
        id: tokens.body.items[0].id,
        'absent:name': 'absent.example',
        'absent:address': 'absent@example.com',
        'absent:id': '00000000-0000-4000-8000-000000000000',
      });
      await h.app.listen({ host: '127.0.0.1', port: 0 });
      port = (h.app.server.address() as AddressInfo).port;
    });
    afterAll(() => h.close());

    for (const op of operations()) {
      it(`${op.method} ${op.path}: every malformed request is a 4xx problem and writes nothing`, async () => {
        const before = await digest(h);
        const failures: string[] = [];
        const cases = casesFor(op, ids, h.alice.token);
        total += cases.length;
        for (const c of cases) {
          try {
            const problem = verdict(c, await rawRequest(port, c.request));
            if (problem) failures.push(problem);
          } catch (error) {
            failures.push(`${c.name}: ${(error as Error).message}`);
          }
        }
        expect(failures).toEqual([]);
        expect(await digest(h)).toEqual(before);
      });
    }
  });
}

describe('the bad-input corpus', () => {
  it('has at least 300 cases per database', () => {
    expect(total / DIALECTS.length).toBeGreaterThanOrEqual(300);
  });
});
