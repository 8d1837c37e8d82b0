import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveAuthReports } from '../mailstack/auth-policy-report.js';
import { servePolicy, type PolicyAction, type PolicyRequest } from '../mailstack/policy-service.js';
import { serveQuotaWarnings } from '../mailstack/quota-warnings.js';
import { socketPaths } from '../mailstack/render.js';
import type { MailPlaneSettings } from '../mailstack/settings.js';
import type { PolicyServerCommand } from '../mailstack/stack.js';
import { recordAppPasswordUse } from '../services/app-passwords/record-app-password-use.js';
import { recordQuotaCrossing } from '../services/mailboxes/record-quota-crossing.js';
import type { ServiceContext } from '../services/context.js';
import { sendGate } from '../services/sending/check-send.js';
import { openStore } from '../store/database.js';
import type { Config } from './config.js';

/**
 * Postfix's policy requests, answered: an authenticated submission's recipient counts against
 * its login's limits, decisions arriving together decided together (`sendGate`). Anything else
 * (no login, another protocol state) is not ours: DUNNO.
 */
export function sendPolicy(
  ctx: Pick<ServiceContext, 'store' | 'clock'>,
): (request: PolicyRequest) => Promise<PolicyAction> {
  const check = sendGate(ctx);
  return async (request) => {
    const login = request.sasl_username;
    if (request.request !== 'smtpd_access_policy' || !login) return 'DUNNO';
    if (request.protocol_state !== undefined && request.protocol_state !== 'RCPT') return 'DUNNO';
    const decision = await check(login);
    return decision.allowed ? 'DUNNO' : { defer: decision.text };
  };
}

type Closable = { close(): Promise<void> };

/**
 * Serves the sending limits on the mail plane's policy socket, Dovecot's login reports (app
 * passwords' last use) on its auth policy port and its quota warnings (which mailboxes Postfix
 * asks quota-status about) on their socket, with this context's clock.
 */
export async function startPolicyServer(
  ctx: Pick<ServiceContext, 'store' | 'clock'>,
  s: MailPlaneSettings,
  onError?: (error: unknown) => void,
): Promise<Closable> {
  const sockets = socketPaths(s);
  const servers: Closable[] = [];
  const closeAll = async () => {
    await Promise.all(servers.map((server) => server.close()));
  };
  const starts: (() => Promise<Closable>)[] = [
    () => servePolicy(sockets.policy, sendPolicy(ctx), onError),
    () =>
      serveAuthReports(
        s.ports.authPolicy,
        async ({ user, appPassword }) => {
          if (appPassword !== undefined) await recordAppPasswordUse(ctx, user, appPassword);
        },
        onError,
      ),
    () =>
      serveQuotaWarnings(
        sockets.quotaWarnings,
        async ({ address, crossing }) => {
          await recordQuotaCrossing(ctx, address, crossing);
        },
        onError,
      ),
  ];
  try {
    for (const start of starts) servers.push(await start());
  } catch (error) {
    await closeAll();
    throw error;
  }
  return { close: closeAll };
}

/**
 * `mailwright mailstack policy-server`: the policy service as its own process, until SIGTERM.
 * It opens the database and nothing else (no server key: it unseals nothing), and leaves the
 * schema to the API and CLI, which migrate it.
 */
export async function runPolicyServer(config: Config, s: MailPlaneSettings): Promise<void> {
  const store = openStore(config.databaseUrl);
  const server = await startPolicyServer({ store, clock: () => new Date() }, s, (error) =>
    console.error(`policy check failed: ${(error as Error).stack ?? String(error)}`),
  );
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve());
  });
  await server.close();
  await store.close();
}

/**
 * How `mailstack up` starts this program's policy service: the built CLI, or the TypeScript
 * source through tsx when running from a checkout. The configuration goes along in the
 * environment (every MAILWRIGHT_ variable), since the CLI may have been given its own.
 */
export function policyServerCommand(
  env: Readonly<Record<string, string | undefined>>,
): PolicyServerCommand {
  const built = fileURLToPath(new URL('../cli/main.js', import.meta.url));
  const source = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
  const entry = existsSync(built) ? [built] : ['--import', 'tsx', source];
  return {
    command: process.execPath,
    args: [...entry, 'mailstack', 'policy-server'],
    env: Object.fromEntries(
      Object.entries(env).filter(
        (e): e is [string, string] => e[0].startsWith('MAILWRIGHT_') && e[1] !== undefined,
      ),
    ),
  };
}
