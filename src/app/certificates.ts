import { RENEWAL_CHECK_INTERVAL_MS } from '../core/certificates.js';
import { startChallengeListener } from '../certificates/acme-challenges.js';
import { acmeIssuer } from '../certificates/acme-issuer.js';
import { stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { certificateFiles, listCertificates } from '../certificates/certificate-store.js';
import { reloadCertificates } from '../mailstack/reload-certificates.js';
import { mailPlaneSettings } from '../mailstack/settings.js';
import type { CertificateAuthority, ServiceContext } from '../services/context.js';
import {
  renewDueCertificates,
  type RenewalOutcome,
} from '../services/certificates/renew-due-certificates.js';
import type { Config } from './config.js';

/** The store under the data dir, filled from the configured ACME CA. */
export function certificateAuthorityFor(config: Config): CertificateAuthority {
  const issue = acmeIssuer({ dataDir: config.dataDir, ...config.acme });
  return {
    list: () => listCertificates(config.dataDir),
    issue: async (name) => {
      await issue(name);
    },
  };
}

/**
 * Runs `fn` while port 80 (MAILWRIGHT_HTTP_LISTEN) answers ACME challenges: this process
 * listens itself when the port is free (no server running yet, as during installation), and
 * otherwise the running server answers them from the same directory.
 */
export async function withChallengeResponder<T>(config: Config, fn: () => Promise<T>): Promise<T> {
  if (!config.httpListen) {
    throw new Error(
      'Set MAILWRIGHT_HTTP_LISTEN (e.g. [::]:80): the CA checks this host over plain HTTP on port 80 before it issues a certificate.',
    );
  }
  const listener = await startChallengeListener(config.dataDir, config.httpListen).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') return null;
      throw error;
    },
  );
  try {
    return await fn();
  } finally {
    await listener?.close();
  }
}

/**
 * Makes Postfix and Dovecot read the mail host's certificate again when it changed since they
 * last did (a stamp beside it says when). Needs root: the server, running as the data dir's
 * owner, renews but cannot reload them, so `mailwright cert renew` (root, daily) catches up.
 * The API needs nothing of this: it reads a changed certificate at the next handshake.
 */
export async function reloadMailServersIfStale(config: Config): Promise<string[]> {
  const files = certificateFiles(config.dataDir, config.dnsSettings.mailHost);
  const chain = await stat(files.fullchain).catch(() => null);
  if (!chain) return [];
  const stamp = join(dirname(files.fullchain), 'loaded-by-mail-servers');
  const loaded = await stat(stamp).catch(() => null);
  if (loaded && loaded.mtimeMs >= chain.mtimeMs) return [];
  const reloaded = await reloadCertificates(
    mailPlaneSettings({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      mailHost: config.dnsSettings.mailHost,
    }),
  );
  await writeFile(stamp, `${new Date().toISOString()}\n`);
  return reloaded;
}

/**
 * The running server's renewals: a check at start and every RENEWAL_CHECK_INTERVAL_MS.
 * `check` is the same run, for tests and anyone who wants one now.
 */
export function startCertificateRenewal(
  ctx: ServiceContext,
  config: Config,
  log: { info(message: string): void; error(message: string): void },
): { check(): Promise<RenewalOutcome>; stop(): void } {
  const check = async () => {
    const outcome = await renewDueCertificates(ctx);
    for (const name of outcome.renewed) log.info(`Renewed the certificate of ${name}.`);
    for (const s of outcome.skipped) {
      log.info(
        `Not renewing the certificate of ${s.name}, a name this host no longer serves: ${s.reason}`,
      );
    }
    for (const f of outcome.failed) {
      log.error(`Renewing the certificate of ${f.name} failed (next try in 12 h): ${f.message}`);
    }
    if (outcome.renewed.includes(config.dnsSettings.mailHost)) {
      await reloadMailServersIfStale(config).catch((error: Error) =>
        log.error(
          `Postfix and Dovecot still use the old certificate (${error.message}): mailwright cert renew, as root, reloads them.`,
        ),
      );
    }
    return outcome;
  };
  const run = () => void check().catch((error: Error) => log.error(error.message));
  run();
  const timer = setInterval(run, RENEWAL_CHECK_INTERVAL_MS);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
