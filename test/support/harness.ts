import type { FastifyInstance } from 'fastify';
import type { DnsSettings } from '../../src/core/dns-plan.js';
import { buildApp } from '../../src/http/app.js';
import type { Actor, ServiceContext } from '../../src/services/context.js';
import { createAccount } from '../../src/services/accounts/create-account.js';
import { createApiToken } from '../../src/services/auth/create-api-token.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import type { Dialect } from '../../src/store/dialect.js';
import { testContext } from './context.js';
import { freshStore } from './dialects.js';
import { startDnsServer, type TestDnsServer } from './dns-server.js';

export interface Tenant {
  actor: Actor;
  token: string;
}

export interface Harness {
  ctx: ServiceContext;
  url: string;
  dns: TestDnsServer;
  app: FastifyInstance;
  /** Two accounts, so every suite can check that one never sees the other's data. */
  alice: Tenant;
  bob: Tenant;
  request(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    opts?: { body?: unknown; token?: string | null },
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  /** Adds a root domain and proves it through the test DNS server, as a user would. */
  verifiedDomain(tenant: Tenant, name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(
  dialect: Dialect,
  opts: { clock?: () => Date; dnsSettings?: Partial<DnsSettings>; webRoot?: string } = {},
): Promise<Harness> {
  const { store, url, drop } = await freshStore(dialect);
  const dns = await startDnsServer();
  const ctx: ServiceContext = testContext(store, {
    dnsServers: [dns.address],
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.dnsSettings ? { dnsSettings: opts.dnsSettings } : {}),
  });
  const app = await buildApp(ctx, opts.webRoot ? { webRoot: opts.webRoot } : {});
  const tenant = async (name: string): Promise<Tenant> => {
    const account = await createAccount(ctx, { name, actor: 'test' });
    const { id, token } = await createApiToken(ctx, { account: name, actor: 'test' });
    return { actor: { accountId: account.id, name: `token:${id}` }, token };
  };
  const alice = await tenant('alice');
  const bob = await tenant('bob');
  return {
    ctx,
    url,
    dns,
    app,
    alice,
    bob,
    async request(method, path, opts = {}) {
      const token = opts.token === undefined ? alice.token : opts.token;
      const res = await app.inject({
        method,
        url: path,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        ...(opts.body === undefined ? {} : { payload: opts.body as object }),
      });
      return {
        status: res.statusCode,
        // Downloads (CSV, zip) are not JSON; everything else is JSON or problem+json.
        body: !res.body
          ? undefined
          : /json/.test(String(res.headers['content-type']))
            ? JSON.parse(res.body)
            : res.body,
        headers: res.headers,
      };
    },
    async verifiedDomain(t, name) {
      const domain = await addDomain(ctx, t.actor, { name });
      dns.setTxt(domain.verification.host, [domain.verification.value]);
      await verifyDomain(ctx, t.actor, name);
    },
    async close() {
      await app.close();
      await dns.close();
      await drop();
    },
  };
}
