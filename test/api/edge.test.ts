import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { httpRequest, rawRequest } from '../support/raw-http.js';

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
            body: '{}',
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
  });
}
