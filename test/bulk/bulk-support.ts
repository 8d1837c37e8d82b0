import { parse } from 'csv-parse/sync';
import type { LimitName } from '../../src/core/limits.js';
import { setAccountLimits } from '../../src/services/accounts/set-account-limits.js';
import { JobRunner } from '../../src/services/jobs/job-runner.js';
import type { Dialect } from '../../src/store/dialect.js';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';

/** A bulk request body; every field can be overridden. */
export const bulk = (overrides: Record<string, unknown> = {}) => ({
  mode: 'bulk',
  name: 'Josh Smith',
  domain: 'example.com',
  count: 2,
  password: { generate: true },
  ...overrides,
});

export interface Reply {
  status: number;
  body: any;
  headers: Record<string, unknown>;
  text: string;
}

/** h.request with headers, a token and a raw (e.g. CSV) payload. */
export async function call(
  h: Harness,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  opts: { body?: unknown; headers?: Record<string, string>; token?: string } = {},
): Promise<Reply> {
  const res = await h.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${opts.token ?? h.alice.token}`, ...opts.headers },
    ...(opts.body === undefined ? {} : { payload: opts.body as string | object }),
  });
  const json = /json/.test(String(res.headers['content-type'] ?? ''));
  return {
    status: res.statusCode,
    body: json && res.body ? JSON.parse(res.body) : undefined,
    headers: res.headers,
    text: res.body,
  };
}

/** An operator's limit change for alice (or another account), applied at once. */
export const setLimits = (
  h: Harness,
  changes: Partial<Record<LimitName, number | null>>,
  account = 'alice',
) => setAccountLimits(h.ctx, { account, changes, actor: 'test' });

/** Carries out every job that is runnable at the context's clock. */
export const runJobs = (h: Harness) => new JobRunner(h.ctx).runPending();

/** A clock tests move by hand; it starts at the real time so Retry-After stays meaningful. */
export function movableClock() {
  let now = Date.now();
  return {
    clock: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
    now: () => new Date(now),
  };
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export async function startClockedHarness(dialect: Dialect) {
  const time = movableClock();
  const h = await startHarness(dialect, { clock: time.clock });
  return { h, time };
}

/**
 * A clocked harness whose account has each of `domains` verified and three mailboxes on it,
 * created in bulk a cooldown apart; `addresses` lists them per domain as the API lists them.
 */
export async function startWithBulkMailboxes(dialect: Dialect, domains: readonly string[]) {
  const { h, time } = await startClockedHarness(dialect);
  for (const domain of domains) await h.verifiedDomain(h.alice, domain);
  for (const domain of domains) {
    const queued = await call(h, 'POST', '/v1/mailboxes', { body: bulk({ domain, count: 3 }) });
    if (queued.status !== 202) throw new Error(`bulk creation on ${domain}: ${queued.text}`);
    time.advance(10 * MINUTE);
  }
  await runJobs(h);
  const addresses: Record<string, string[]> = {};
  for (const domain of domains) {
    addresses[domain] = (await call(h, 'GET', `/v1/mailboxes?domain=${domain}`)).body.items.map(
      (m: { address: string }) => m.address,
    );
  }
  return { h, time, addresses };
}

/** Row counts of every table a bulk request could write to. */
export async function rowCounts(
  h: Harness,
): Promise<Record<'mailboxes' | 'jobs' | 'job_items' | 'events', number>> {
  const { db } = h.ctx.store;
  const count = async (table: 'mailboxes' | 'jobs' | 'job_items' | 'events') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    mailboxes: await count('mailboxes'),
    jobs: await count('jobs'),
    job_items: await count('job_items'),
    events: await count('events'),
  };
}

/** Addresses of the mailboxes on one hostname, in address order (store level, every account). */
export async function addressesOn(h: Harness, domain: string): Promise<string[]> {
  const rows = await h.ctx.store.db
    .selectFrom('mailboxes')
    .innerJoin('domains', 'domains.id', 'mailboxes.domain_id')
    .select('mailboxes.address')
    .where('domains.name', '=', domain)
    .orderBy('mailboxes.address')
    .execute();
  return rows.map((r) => r.address);
}

/** Adds a root domain over HTTP (so mailboxLimit / quotaMb can be given) and verifies it. */
export async function addVerifiedDomain(
  h: Harness,
  body: { name: string; mailboxLimit?: number; quotaMb?: number },
  tenant: Tenant = h.alice,
): Promise<any> {
  const added = await call(h, 'POST', '/v1/domains', { body, token: tenant.token });
  if (added.status !== 201) throw new Error(`adding ${body.name}: ${added.status} ${added.text}`);
  h.dns.setTxt(added.body.verification.host, [added.body.verification.value]);
  const verified = await call(h, 'POST', `/v1/domains/${body.name}/verify`, {
    token: tenant.token,
  });
  if (verified.status !== 200)
    throw new Error(`verifying ${body.name}: ${verified.status} ${verified.text}`);
  return verified.body;
}

export async function addSubdomains(h: Harness, root: string, labels: string[]): Promise<void> {
  const res = await call(h, 'POST', `/v1/domains/${root}/subdomains`, { body: { labels } });
  if (res.status !== 200 || res.body.rejected.length > 0)
    throw new Error(`subdomains of ${root}: ${res.text}`);
}

/** Limits high enough that only the constraint a test is about can bite. */
export const GENEROUS = {
  maxBulkCount: 100,
  maxMailboxesPerDomain: 100,
  maxMailboxesPerHour: 100_000,
  cooldownThreshold: 10_000,
} as const;

/** The credentials CSV as records keyed by its header. */
export function parseCsv(text: string): { header: string[]; rows: Record<string, string>[] } {
  const records = parse(text) as string[][];
  const [header = [], ...data] = records;
  return {
    header,
    rows: data.map((r) => Object.fromEntries(header.map((c, i) => [c, r[i] ?? '']))),
  };
}
