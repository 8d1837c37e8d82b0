import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { startHarness, type Harness } from '../support/harness.js';

const INDEX = '<!doctype html><title>Mailwright console</title><div id="root"></div>';
const ASSET = 'console.log("console");';
const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";
const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

// Serving files touches no database, so one dialect is enough here.
describe('web console files', () => {
  let h: Harness;
  let app: FastifyInstance;
  let missing: FastifyInstance;

  beforeAll(async () => {
    h = await startHarness('sqlite');
    const root = mkdtempSync(join(tmpdir(), 'mailwright-web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), INDEX);
    writeFileSync(join(root, 'assets', 'index-3f2a9c.js'), ASSET);
    app = await buildApp(h.ctx, { webRoot: root });
    missing = await buildApp(h.ctx, { webRoot: join(root, 'not-built') });
  });
  afterAll(async () => {
    await app?.close();
    await missing?.close();
    await h?.close();
  });

  const expectHtmlHeaders = (headers: Record<string, unknown>) => {
    expect(headers['content-type']).toMatch(/^text\/html/);
    expect(headers['content-security-policy']).toBe(CSP);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('same-origin');
  };

  it('serves the console at / with security headers, revalidated on every load', async () => {
    const res = await app.inject({ method: 'GET', url: '/', headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(INDEX);
    expectHtmlHeaders(res.headers);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('caches content-hashed assets for good', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/index-3f2a9c.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(ASSET);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers a browser opening a console route with the console page', async () => {
    for (const url of ['/domains/example.com', '/mailboxes?q=jo', '/tokens']) {
      const res = await app.inject({ method: 'GET', url, headers: html });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toBe(INDEX);
      expectHtmlHeaders(res.headers);
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('keeps 404 problems for API paths, missing assets and non-browser requests', async () => {
    const cases = [
      { url: '/v1/nothing-here', headers: { ...html, authorization: `Bearer ${h.alice.token}` } },
      { url: '/assets/gone-123.js', headers: { accept: '*/*' } },
      { url: '/domains/example.com', headers: { accept: 'application/json' } },
    ];
    for (const { url, headers } of cases) {
      const res = await app.inject({ method: 'GET', url, headers });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('route_not_found');
    }
    const post = await app.inject({ method: 'POST', url: '/domains', headers: html });
    expect(post.statusCode).toBe(404);
  });

  it('still serves the API and its reference beside the console', async () => {
    const doc = await app.inject({ method: 'GET', url: '/openapi.json', headers: html });
    expect(doc.statusCode).toBe(200);
    expect(doc.json().openapi).toBe('3.1.0');
    const domains = await app.inject({
      method: 'GET',
      url: '/v1/domains',
      headers: { authorization: `Bearer ${h.alice.token}` },
    });
    expect(domains.statusCode).toBe(200);
  });

  it('says how to build the console when it is not built', async () => {
    for (const url of ['/', '/domains/example.com']) {
      const res = await missing.inject({ method: 'GET', url, headers: html });
      expect(res.statusCode, url).toBe(503);
      expectHtmlHeaders(res.headers);
      expect(res.body).toContain('npm run build');
    }
    const api = await missing.inject({
      method: 'GET',
      url: '/v1/domains',
      headers: { authorization: `Bearer ${h.alice.token}` },
    });
    expect(api.statusCode).toBe(200);
  });
});
