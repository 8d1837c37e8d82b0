import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgeLimits } from '../../src/core/http-edge.js';
import { sql } from 'kysely';
import { buildApp } from '../../src/http/app.js';
import { errorToProblem } from '../../src/http/problem.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { httpRequest, parseReply, rawRequest, type RawReply } from '../support/raw-http.js';

const openapi = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'));

/** Every operation of the committed contract, with its path parameters filled in. */
const operations = Object.entries<Record<string, unknown>>(openapi.paths).flatMap(
  ([path, methods]) =>
    Object.keys(methods).map((method) => ({
      method: method.toUpperCase(),
      path,
      target: path
        .replace('{name}', 'example.com')
        .replace('{address}', 'josh@example.com')
        .replace('{id}', '00000000-0000-4000-8000-000000000000'),
    })),
);

async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as AddressInfo).port;
}

const openSocket = (port: number): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });

/** Everything the server sends until it closes the connection, and how long that took. */
const untilClosed = (socket: Socket): Promise<{ data: string; ms: number }> =>
  new Promise((resolve) => {
    const started = Date.now();
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.once('close', () => resolve({ data, ms: Date.now() - started }));
  });

/** A problem+json answer with a code, nosniff and the status it says. */
function expectProblem(
  res: RawReply | { status: number; headers: Record<string, unknown>; body: string },
  status: number,
  code?: string,
) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  const body = JSON.parse(res.body);
  expect(body).toMatchObject({ status, type: expect.stringMatching(/^urn:mailwright:problem:/) });
  expect(typeof body.detail).toBe('string');
  if (code) expect(body.code).toBe(code);
  return body;
}

for (const dialect of DIALECTS) {
  describe(`the HTTP edge on ${dialect}`, () => {
    let h: Harness;
    let port: number;
    beforeAll(async () => {
      h = await startHarness(dialect);
      await h.verifiedDomain(h.alice, 'example.com');
      await h.app.listen({ host: '127.0.0.1', port: 0 });
      port = (h.app.server.address() as AddressInfo).port;
    });
    afterAll(() => h.close());

    it('authenticates every /v1 operation sent in absolute form (http://host/v1/…)', async () => {
      const v1 = operations.filter((op) => op.path.startsWith('/v1/'));
      expect(v1.length).toBeGreaterThan(25);
      const wrong: string[] = [];
      for (const op of v1) {
        const res = await rawRequest(
          port,
          httpRequest(op.method, `http://evil.example${op.target}`, {
            headers: { host: 'evil.example', 'content-type': 'application/json' },
            // A GET with a body is refused as such before authentication (body_not_allowed).
            ...(op.method === 'GET' ? {} : { body: '{}' }),
          }),
        );
        // Signing in needs no credentials; without a valid body it is refused all the same.
        const signIn = op.method === 'POST' && op.path === '/v1/session';
        const code = res.body.startsWith('{') ? JSON.parse(res.body).code : undefined;
        if (
          !res.headers['content-type']?.startsWith('application/problem+json') ||
          (signIn ? res.status < 400 || res.status > 499 : code !== 'unauthorized')
        ) {
          wrong.push(`${op.method} ${op.path}: ${res.status} ${res.body.slice(0, 100)}`);
        }
      }
      expect(wrong).toEqual([]);
      // Nothing was created or touched by the anonymous requests.
      const domains = await h.ctx.store.db.selectFrom('domains').select('name').execute();
      expect(domains.map((d) => d.name)).toEqual(['example.com']);
    });

    it.each([
      ['GET', '/v1/mailboxes/a%00b@example.com', undefined, 'address', 'invalid_character'],
      [
        'PATCH',
        '/v1/mailboxes/a%00b@example.com',
        { active: false },
        'address',
        'invalid_character',
      ],
      ['GET', '/v1/jobs/%00', undefined, 'id', 'invalid_character'],
      ['GET', '/v1/jobs/x%01y/credentials.csv', undefined, 'id', 'invalid_character'],
      ['DELETE', '/v1/tokens/%00', undefined, 'id', 'invalid_character'],
      ['GET', '/v1/domains/example.com%00', undefined, 'name', 'invalid_character'],
      ['GET', '/v1/mailboxes?q=%00', undefined, 'q', 'invalid_character'],
      ['GET', '/v1/mailboxes?domain=x%1B', undefined, 'domain', 'invalid_character'],
      ['GET', '/v1/mailboxes?cursor=AA', undefined, 'cursor', 'invalid_cursor'],
      ['GET', '/v1/domains?cursor=AA', undefined, 'cursor', 'invalid_cursor'],
      ['GET', '/v1/jobs?cursor=AA', undefined, 'cursor', 'invalid_cursor'],
      ['GET', '/v1/events?cursor=AAA', undefined, 'cursor', 'invalid_cursor'],
      [
        'POST',
        '/v1/mailboxes/bulk-delete',
        { addresses: ['josh\u0000@example.com'] },
        'addresses.0',
        'invalid_character',
      ],
      ['POST', '/v1/domains', { name: 'nul\u0000.com' }, 'name', 'invalid_character'],
      [
        'POST',
        '/v1/domains/example.com/subdomains',
        { labels: 'sales\n\u0007bell' },
        'labels',
        'invalid_character',
      ],
      ['POST', '/v1/tokens', { label: 'ci\u0000' }, 'label', 'invalid_character'],
    ] as const)(
      '%s %s refuses a control character with 422, writing nothing',
      async (method, path, body, field, code) => {
        const before = await h.ctx.store.db.selectFrom('events').select('id').execute();
        const res = await h.request(method, path, body === undefined ? {} : { body });
        expect(res.status).toBe(422);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body.errors).toEqual([expect.objectContaining({ field, code })]);
        expect(await h.ctx.store.db.selectFrom('events').select('id').execute()).toEqual(before);
      },
    );

    it('refuses control characters in an unauthenticated sign-in and in a CSV import', async () => {
      for (const body of [
        { email: 'a\u0000@example.com', password: 'whatever it is' },
        { email: 'a@example.com', password: 'what\u0000ever' },
      ]) {
        const res = await h.request('POST', '/v1/session', { body, token: null });
        expect(res.status).toBe(422);
        expect(res.body.errors[0].code).toBe('invalid_character');
      }
      const csv = await h.app.inject({
        method: 'POST',
        url: '/v1/mailboxes/import',
        headers: { authorization: `Bearer ${h.alice.token}`, 'content-type': 'text/csv' },
        payload: 'name,local_part,domain\r\nAnn\u0000 Lee,ann,example.com\r\n',
      });
      expect(csv.statusCode).toBe(422);
      expect(JSON.parse(csv.body).errors).toEqual([
        expect.objectContaining({ field: 'body', code: 'invalid_character' }),
      ]);
    });

    it('answers a body nested 100,000 deep with a 4xx problem, not a stack overflow', async () => {
      const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
      const res = await rawRequest(
        port,
        httpRequest('POST', '/v1/tokens', {
          headers: { authorization: `Bearer ${h.alice.token}`, 'content-type': 'application/json' },
          body: deep,
        }),
      );
      expect(res.status).toBeGreaterThanOrEqual(400);
      expectProblem(res, res.status < 500 ? res.status : 400);
    });

    it.runIf(dialect === 'postgres')(
      'maps PostgreSQL refusing U+0000 to a 422, never a 500',
      async () => {
        const error = await sql`select ${'a\u0000b'}::text`.execute(h.ctx.store.db).then(
          () => undefined,
          (e: unknown) => e,
        );
        const request = { id: 'r1', log: { warn: () => {}, error: () => {} } };
        expect(errorToProblem(error, request as never)).toMatchObject({
          status: 422,
          code: 'invalid_characters',
        });
      },
    );

    it('takes an empty body sent as JSON as no body: 422 naming body where one is needed', async () => {
      const headers = {
        authorization: `Bearer ${h.alice.token}`,
        'content-type': 'application/json',
      };
      const empty = (method: string, path: string) =>
        rawRequest(port, httpRequest(method, path, { headers, body: '' }));
      expect((await empty('POST', '/v1/domains/example.com/verify')).status).toBe(200);
      const needed = await empty('POST', '/v1/domains');
      expect(expectProblem(needed, 422).errors).toEqual([
        expect.objectContaining({ field: 'body', code: 'required' }),
      ]);
      expect(
        (await empty('DELETE', '/v1/tokens/00000000-0000-4000-8000-000000000000')).status,
      ).toBe(404);
    });

    it('refuses unknown fields with 422 naming them, and changes nothing', async () => {
      const created = await h.request('POST', '/v1/mailboxes', {
        body: {
          mode: 'single',
          name: 'Josh Smith',
          localPart: 'josh',
          domain: 'example.com',
          password: { generate: true },
        },
      });
      expect(created.status).toBe(201);
      const typo = await h.request('PATCH', '/v1/mailboxes/josh@example.com', {
        body: { quotaMB: 2048 },
      });
      expect(typo.status).toBe(422);
      expect(typo.body.errors).toEqual([
        expect.objectContaining({ field: 'quotaMB', code: 'unknown_field' }),
      ]);
      expect(typo.body.detail).toContain('quotaMb');
      expect((await h.request('GET', '/v1/mailboxes/josh@example.com')).body.quotaMb).toBe(1024);
      for (const [body, field] of [
        [
          {
            mode: 'single',
            name: 'Ann Lee',
            localPart: 'ann',
            domain: 'example.com',
            password: { generate: true },
            admin: true,
          },
          'admin',
        ],
        [
          {
            mode: 'single',
            name: 'Ann Lee',
            localPart: 'ann',
            domain: 'example.com',
            password: { generate: true, value: 'x' },
          },
          'password.value',
        ],
      ] as const) {
        const res = await h.request('POST', '/v1/mailboxes', { body });
        expect(res.status).toBe(422);
        expect(res.body.errors).toEqual([
          expect.objectContaining({ field, code: 'unknown_field' }),
        ]);
      }
      const query = await h.request('GET', '/v1/domains?limitt=5');
      expect(query.status).toBe(422);
      expect(query.body.errors).toEqual([
        expect.objectContaining({ field: 'limitt', code: 'unknown_field' }),
      ]);
      expect((await h.request('GET', '/v1/domains?limit=5')).status).toBe(200);
    });

    it('refuses an empty PATCH with 422 empty_update naming the fields', async () => {
      for (const path of ['/v1/mailboxes/josh@example.com', '/v1/domains/example.com']) {
        const res = await h.request('PATCH', path, { body: {} });
        expect(res.status).toBe(422);
        expect(res.body.errors).toEqual([
          expect.objectContaining({ field: 'body', code: 'empty_update' }),
        ]);
        expect(res.body.detail).toMatch(/quotaMb/);
      }
    });

    it('takes credentials only in RFC 6750 form, once', async () => {
      const get = (headers: string) =>
        rawRequest(
          port,
          `GET /v1/limits HTTP/1.1\r\nhost: 127.0.0.1\r\n${headers}connection: close\r\n\r\n`,
        );
      const token = h.alice.token;
      expect((await get(`authorization: Bearer ${token}\r\n`)).status).toBe(200);
      expect((await get(`authorization: bearer ${token}\r\n`)).status).toBe(200);
      for (const refused of [
        `authorization: Bearer  ${token}\r\n`,
        `authorization: Bearer\t${token}\r\n`,
        `authorization: Bearer ${token} x\r\n`,
        `authorization: Basic ${token}\r\n`,
        `authorization: Bearer ${token}\r\nauthorization: Bearer ${token}\r\n`,
        `authorization: Bearer ${token}\r\nAuthorization: Bearer other\r\n`,
      ]) {
        expectProblem(await get(refused), 401, 'unauthorized');
      }
    });

    it('reads limit in decimal digits only', async () => {
      expect((await h.request('GET', '/v1/domains?limit=16')).status).toBe(200);
      for (const bad of ['0x10', '1e1', '0b1', '%2010', '16.0', '-1', '0', '501', '']) {
        const res = await h.request('GET', `/v1/domains?limit=${bad}`);
        expect([bad, res.status]).toEqual([bad, 422]);
        expect(res.body.errors[0].field).toBe('limit');
      }
    });

    it('sends nosniff on JSON, problems, the OpenAPI document, files and 404s', async () => {
      const root = mkdtempSync(join(tmpdir(), 'mailwright-web-'));
      mkdirSync(join(root, 'assets'));
      writeFileSync(join(root, 'index.html'), '<!doctype html><title>console</title>');
      writeFileSync(join(root, 'assets', 'app-1a2b.js'), 'console.log(1);');
      const app = await buildApp(h.ctx, { webRoot: root });
      try {
        const auth = { authorization: `Bearer ${h.alice.token}` };
        const html = { accept: 'text/html' };
        for (const [url, headers, status] of [
          ['/v1/domains', auth, 200],
          ['/v1/domains', {}, 401],
          ['/v1/domains/absent.example', auth, 404],
          ['/openapi.json', {}, 200],
          ['/assets/app-1a2b.js', {}, 200],
          ['/', html, 200],
          ['/domains/example.com', html, 200],
          ['/nothing-here', {}, 404],
          ['/.well-known/mta-sts.txt', { host: 'mta-sts.example.com' }, 200],
        ] as const) {
          const res = await app.inject({ method: 'GET', url, headers });
          expect([url, res.statusCode, res.headers['x-content-type-options']]).toEqual([
            url,
            status,
            'nosniff',
          ]);
        }
      } finally {
        await app.close();
      }
    });

    it('serves no MTA-STS policy naming a mail host that is not fully qualified', async () => {
      const ctx = { ...h.ctx, dnsSettings: { ...h.ctx.dnsSettings, mailHost: 'vm' } };
      const warnings: string[] = [];
      const app = await buildApp(ctx, {
        logger: {
          level: 'warn',
          stream: { write: (line: string) => warnings.push(JSON.parse(line).msg) },
        },
      });
      try {
        await listen(app);
        expect(warnings.join(' ')).toContain('MAILWRIGHT_MAIL_HOST is "vm"');
        const res = await app.inject({
          method: 'GET',
          url: '/.well-known/mta-sts.txt',
          headers: { host: 'mta-sts.example.com' },
        });
        expect(res.statusCode).toBe(404);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(JSON.parse(res.body).code).toBe('mta_sts_mail_host_not_fqdn');
        expect(res.body).not.toContain('mx: vm');
      } finally {
        await app.close();
      }
    });

    it('answers HTTP framing errors with a problem and closes the connection', async () => {
      const head = 'POST /v1/session HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n';
      const cases: [string, string, number, string][] = [
        [
          'Content-Length with Transfer-Encoding',
          `${head}content-length: 4\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n`,
          400,
          'malformed_request',
        ],
        [
          'a bad chunk size',
          `${head}content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
          400,
          'malformed_request',
        ],
        ['a header line without colon', `${head}not a header\r\n\r\n`, 400, 'malformed_request'],
        [
          '32 KiB of headers',
          `${head}x-pad: ${'p'.repeat(32 * 1024)}\r\n\r\n`,
          431,
          'headers_too_large',
        ],
        [
          // Fastify never reads a GET's body: its route would act, then a framing error follow.
          'a GET with a body',
          'GET /v1/domains HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n',
          400,
          'body_not_allowed',
        ],
        [
          'no Host header',
          'GET /v1/domains HTTP/1.1\r\nconnection: close\r\n\r\n',
          400,
          'missing_host',
        ],
      ];
      for (const [, request, status, code] of cases) {
        expectProblem(await rawRequest(port, request), status, code);
      }
    });

    it('answers a path or query that is not valid percent-encoded UTF-8 with a 400 problem', async () => {
      for (const bad of ['%C3%28', '%FF', '%ZZ', 'a%']) {
        const res = await rawRequest(
          port,
          httpRequest('GET', `/v1/domains/${bad}`, {
            headers: { authorization: `Bearer ${h.alice.token}` },
          }),
        );
        expectProblem(res, 400, 'bad_url');
      }
      for (const bad of ['q=%FF', 'q=%C3%28', 'q=a%', 'cursor=%ZZ']) {
        const res = await rawRequest(
          port,
          httpRequest('GET', `/v1/mailboxes?${bad}`, {
            headers: { authorization: `Bearer ${h.alice.token}` },
          }),
        );
        expectProblem(res, 400, 'bad_url');
      }
      expect((await h.request('GET', '/v1/mailboxes?q=jos%C3%A9')).status).toBe(200);
    });

    it('addresses names longer than 100 characters, and answers an absurd one with a 414 problem', async () => {
      const root = `${'a'.repeat(60)}.com`;
      const sub = `${'b'.repeat(50)}.${root}`;
      expect(sub.length).toBeGreaterThan(100);
      await h.verifiedDomain(h.alice, root);
      const auth = { authorization: `Bearer ${h.alice.token}`, 'content-type': 'application/json' };
      const added = await rawRequest(
        port,
        httpRequest('POST', `/v1/domains/${root}/subdomains`, {
          headers: auth,
          body: JSON.stringify({ labels: 'b'.repeat(50) }),
        }),
      );
      expect(JSON.parse(added.body).created).toHaveLength(1);
      const get = await rawRequest(
        port,
        httpRequest('GET', `/v1/domains/${sub}`, { headers: auth }),
      );
      expect([get.status, JSON.parse(get.body).name]).toEqual([200, sub]);
      const patch = await rawRequest(
        port,
        httpRequest('PATCH', `/v1/domains/${sub}`, {
          headers: auth,
          body: JSON.stringify({ mailboxLimit: 3 }),
        }),
      );
      expect([patch.status, JSON.parse(patch.body).mailboxLimit]).toEqual([200, 3]);
      const del = await rawRequest(
        port,
        httpRequest('DELETE', `/v1/domains/${sub}`, {
          headers: { authorization: auth.authorization },
        }),
      );
      expect(del.status).toBe(204);
      for (const method of ['GET', 'PATCH', 'DELETE']) {
        const huge = await rawRequest(
          port,
          httpRequest(method, `/v1/domains/${'x'.repeat(5000)}.com`, { headers: auth }),
        );
        expectProblem(huge, 414, 'uri_too_long');
      }
    });
  });

  describe(`timeouts and the per-client connection cap on ${dialect}`, () => {
    let h: Harness;
    const apps: FastifyInstance[] = [];
    const serve = async (edge: Partial<EdgeLimits>) => {
      const app = await buildApp(h.ctx, { edge });
      apps.push(app);
      return listen(app);
    };
    beforeAll(async () => {
      h = await startHarness(dialect);
    });
    afterAll(async () => {
      for (const app of apps) await app.close();
      await h.close();
    });

    it('answers a body that dribbles in with 408 problem+json and closes the connection', async () => {
      const port = await serve({ requestTimeoutMs: 800, headersTimeoutMs: 400 });
      const socket = await openSocket(port);
      const answer = untilClosed(socket);
      socket.write(
        'POST /v1/session HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n' +
          'content-length: 100000\r\n\r\n{',
      );
      const dribble = setInterval(() => socket.writable && socket.write('"'), 100);
      const { data, ms } = await answer;
      clearInterval(dribble);
      expect(ms).toBeLessThan(3000);
      expectProblem(parseReply(data), 408, 'request_timeout');
    });

    it('answers headers that dribble in with 408 problem+json', async () => {
      const port = await serve({ requestTimeoutMs: 800, headersTimeoutMs: 400 });
      const socket = await openSocket(port);
      const answer = untilClosed(socket);
      socket.write('GET /v1/domains HTTP/1.1\r\nhost: 127.0.0.1\r\n');
      const dribble = setInterval(() => socket.writable && socket.write('x-a: b\r\n'), 100);
      const { data, ms } = await answer;
      clearInterval(dribble);
      expect(ms).toBeLessThan(3000);
      expectProblem(parseReply(data), 408, 'request_timeout');
    });

    it("closes a client's connection over the cap at once, and serves it again once others close", async () => {
      const port = await serve({ maxConnectionsPerClient: 3 });
      const held = [await openSocket(port), await openSocket(port), await openSocket(port)];
      const over = await openSocket(port);
      const refused = await untilClosed(over);
      expect(refused.data).toBe('');
      // The held connections still work.
      const first = held[0]!;
      const answer = untilClosed(first);
      first.write('GET /openapi.json HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n');
      expect(parseReply((await answer).data).status).toBe(200);
      for (const socket of held.slice(1)) {
        const closed = untilClosed(socket);
        socket.end();
        await closed;
      }
      // The server counts a connection gone when it sees it close; give it that moment.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const again = await rawRequest(port, httpRequest('GET', '/openapi.json'));
      expect(again.status).toBe(200);
    });
  });
}
