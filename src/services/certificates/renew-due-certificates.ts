import { isDueForRenewal } from '../../core/certificates.js';
import { AppError } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { certificateAuthority, checkCertificateName } from './certificate-names.js';

export interface RenewalOutcome {
  renewed: string[];
  failed: { name: string; message: string }[];
  /**
   * Due, but no longer a name this host serves (certificate-names.ts): a domain whose redirect
   * was removed, or that is gone or no longer verified. Not renewed; the stored certificate
   * runs out, and `reason` says how to have it renewed again.
   */
  skipped: { name: string; reason: string }[];
}

/**
 * Renews every stored certificate within RENEW_DAYS_BEFORE_EXPIRY of expiry, each on its own:
 * one name failing (a domain whose DNS moved away) holds back no other. Each name is checked
 * again as when it was first issued, so a name the host stopped serving is skipped rather than
 * renewed for ever.
 */
export async function renewDueCertificates(ctx: ServiceContext): Promise<RenewalOutcome> {
  const ca = certificateAuthority(ctx);
  const now = ctx.clock();
  const outcome: RenewalOutcome = { renewed: [], failed: [], skipped: [] };
  for (const c of await ca.list()) {
    if (!isDueForRenewal(c.notAfter, now)) continue;
    try {
      await checkCertificateName(ctx, c.name);
    } catch (error) {
      if (error instanceof AppError) outcome.skipped.push({ name: c.name, reason: error.message });
      else outcome.failed.push({ name: c.name, message: (error as Error).message });
      continue;
    }
    try {
      await ca.issue(c.name);
      outcome.renewed.push(c.name);
    } catch (error) {
      outcome.failed.push({ name: c.name, message: (error as Error).message });
    }
  }
  return outcome;
}
