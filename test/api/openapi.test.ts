import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_TYPES_FILE, openApiTypes } from '../../scripts/openapi-types.js';
import { startHarness, type Harness } from '../support/harness.js';

describe('OpenAPI document', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('sqlite');
  });
  afterAll(() => h.close());

  it('is served without a token as OpenAPI 3.1 with every v1 path', async () => {
    const res = await h.request('GET', '/openapi.json', { token: null });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/domains',
        '/v1/domains/{name}',
        '/v1/domains/{name}/verify',
        '/v1/domains/{name}/subdomains',
        '/v1/mailboxes',
        '/v1/mailboxes/{address}',
        '/v1/events',
      ]),
    );
  });

  it('matches the committed openapi.json (run `npm run openapi` after changing the API)', async () => {
    const served = (await h.request('GET', '/openapi.json', { token: null })).body;
    const committed = JSON.parse(
      readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'),
    );
    expect(served).toEqual(committed);
  });

  it('matches the console’s committed types generated from it (`npm run openapi`)', async () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'),
    ) as object;
    expect(await openApiTypes(committed)).toBe(readFileSync(OPENAPI_TYPES_FILE, 'utf8'));
  });
});
