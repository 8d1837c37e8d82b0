import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REDIRECT_URL_LENGTH } from '../../src/core/redirect-url.js';
import { getDnsPlan } from '../../src/services/dns-records/get-dns-plan.js';
import { updateDomain } from '../../src/services/domains/update-domain.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';

const MAIL_HOST = 'mx.mailwright.test';
const WEB = { ipv4: '127.0.0.1', ipv6: '::1' };

/** A real HTTP request over a loopback socket, with the Host header a visitor's browser sends. */
function get(port: number, host: string, path = '/') {
  return new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
    });
    req.on('error', reject);
    req.end();
  });
}

for (const dialect of DIALECTS) {
  describe(`root domain redirect and tracking CNAME on ${dialect}`, () => {
    let h: Harness;
    let port: number;
    beforeAll(async () => {
      h = await startHarness(dialect, { dnsSettings: { mailHost: MAIL_HOST, web: WEB } });
      await h.verifiedDomain(h.alice, 'example.com');
      await h.verifiedDomain(h.alice, 'plain.org');
      await h.request('POST', '/v1/domains/example.com/subdomains', { body: { labels: 'sales' } });
      await h.app.listen({ host: '127.0.0.1', port: 0 });
      port = (h.app.server.address() as AddressInfo).port;
    });
    afterAll(() => h.close());

    const patch = (name: string, body: object) =>
      h.request('PATCH', `/v1/domains/${name}`, { body });

    it('sets, shows and removes a redirect and a tracking CNAME', async () => {
      const set = await patch('example.com', {
        redirectTo: 'https://www.example.net/landing',
        trackingCname: 'Links.ESP.test.',
      });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({
        redirectTo: 'https://www.example.net/landing',
        trackingCname: 'links.esp.test',
      });
      const got = await h.request('GET', '/v1/domains/example.com');
      expect(got.body.redirectTo).toBe('https://www.example.net/landing');
      expect(got.body.trackingCname).toBe('links.esp.test');

      const cleared = await patch('example.com', { redirectTo: null, trackingCname: null });
      expect(cleared.body).toMatchObject({ redirectTo: null, trackingCname: null });
    });

    it('refuses a URL that is not https, carries credentials or is too long, naming the field', async () => {
      for (const [redirectTo, code] of [
        ['http://www.example.net/', 'not_https'],
        ['https://user:secret@www.example.net/', 'has_credentials'],
        [`https://www.example.net/${'a'.repeat(MAX_REDIRECT_URL_LENGTH)}`, 'too_long'],
        ['www.example.net', 'not_url'],
      ]) {
        const res = await patch('example.com', {
          redirectTo,
          trackingCname: 'links.esp.test',
        });
        expect(res.status).toBe(422);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.errors).toEqual([expect.objectContaining({ field: 'redirectTo', code })]);
      }
      // Nothing half-written: the valid tracking CNAME of those requests was not saved either.
      expect((await h.request('GET', '/v1/domains/example.com')).body.trackingCname).toBeNull();
    });

    it('refuses a bad tracking target and web settings on a sub-domain', async () => {
      const bad = await patch('example.com', { trackingCname: 'https://links.esp.test' });
      expect(bad.status).toBe(422);
      expect(bad.body.errors[0].field).toBe('trackingCname');
      const sub = await patch('sales.example.com', { redirectTo: 'https://www.example.net/' });
      expect(sub.status).toBe(422);
      expect(sub.body.errors[0]).toMatchObject({ field: 'redirectTo', code: 'root_only' });
    });

    it('refuses a redirect while the server has no web address', async () => {
      const ctx = { ...h.ctx, dnsSettings: { ...h.ctx.dnsSettings, web: {} } };
      await expect(
        updateDomain(ctx, h.alice.actor, 'plain.org', { redirectTo: 'https://x.example/' }),
      ).rejects.toMatchObject({
        kind: 'validation',
        issues: [expect.objectContaining({ field: 'redirectTo', code: 'no_web_address' })],
      });
    });

    it('plans A and AAAA records for the domain and www., and the tracking CNAME', async () => {
      await patch('example.com', {
        redirectTo: 'https://www.example.net/',
        trackingCname: 'links.esp.test',
      });
      const { records } = await getDnsPlan(h.ctx, h.alice.actor, 'example.com');
      const web = records.filter(
        (r) => ['A', 'AAAA'].includes(r.type) || r.host.startsWith('track.'),
      );
      expect(web.map((r) => `${r.type} ${r.host} ${r.value}`)).toEqual([
        'A example.com 127.0.0.1',
        'AAAA example.com ::1',
        'A www.example.com 127.0.0.1',
        'AAAA www.example.com ::1',
        'CNAME track.example.com links.esp.test.',
      ]);
      const plain = await getDnsPlan(h.ctx, h.alice.actor, 'plain.org');
      expect(plain.records.some((r) => r.type === 'A' || r.host.startsWith('www.'))).toBe(false);
    });

    it('points www. by CNAME when the server has a web host name', async () => {
      const ctx = {
        ...h.ctx,
        dnsSettings: {
          ...h.ctx.dnsSettings,
          web: { ipv4: '127.0.0.1', cname: 'web.mailwright.test' },
        },
      };
      const { records } = await getDnsPlan(ctx, h.alice.actor, 'example.com');
      expect(records.filter((r) => r.host === 'www.example.com')).toEqual([
        expect.objectContaining({ type: 'CNAME', value: 'web.mailwright.test.' }),
      ]);
    });

    it('checks the web and tracking records live against a DNS server', async () => {
      const { records } = await getDnsPlan(h.ctx, h.alice.actor, 'example.com');
      h.dns.publish(records);
      const ok = await h.request('GET', '/v1/domains/example.com/dns?check=true');
      const web = (ok.body.records as { type: string; host: string; status: string }[]).filter(
        (r) => ['A', 'AAAA'].includes(r.type) || r.host === 'track.example.com',
      );
      expect(web).toHaveLength(5);
      expect(web.every((r) => r.status === 'ok')).toBe(true);

      h.dns.setRecords('www.example.com', 'A', ['192.0.2.7']);
      h.dns.setRecords('track.example.com', 'CNAME', ['elsewhere.test.']);
      const bad = await h.request('GET', '/v1/domains/example.com/dns?check=true');
      const status = (type: string, host: string) =>
        bad.body.records.find(
          (r: { type: string; host: string }) => r.type === type && r.host === host,
        );
      expect(status('A', 'www.example.com')).toMatchObject({
        status: 'mismatch',
        hint: expect.stringContaining('127.0.0.1'),
      });
      expect(status('CNAME', 'track.example.com')).toMatchObject({
        status: 'mismatch',
        hint: expect.stringContaining('links.esp.test'),
      });
    });

    it('answers the domain and www. with 301 over a socket, before authentication', async () => {
      await patch('example.com', { redirectTo: 'https://www.example.net/landing' });
      expect(await get(port, 'example.com')).toEqual({
        status: 301,
        location: 'https://www.example.net/landing',
      });
      expect(await get(port, `WWW.Example.com:${port}`, '/v1/domains')).toEqual({
        status: 301,
        location: 'https://www.example.net/landing',
      });
      // The API's own host, a domain without a redirect and a sub-domain are served as before.
      expect((await get(port, MAIL_HOST, '/v1/domains')).status).toBe(401);
      expect((await get(port, 'plain.org', '/v1/domains')).status).toBe(401);
      expect((await get(port, 'sales.example.com', '/v1/domains')).status).toBe(401);
      // A certificate for the domain can still be obtained over HTTP-01.
      expect((await get(port, 'example.com', '/.well-known/acme-challenge/token')).status).not.toBe(
        301,
      );
    });
  });
}
