import { isDueForRenewal } from '../../core/certificates.js';
import type { ServiceContext } from '../context.js';
import { certificateAuthority } from './certificate-names.js';

export interface RenewalOutcome {
  renewed: string[];
  failed: { name: string; message: string }[];
}

/**
 * Renews every stored certificate within RENEW_DAYS_BEFORE_EXPIRY of expiry, each on its own:
 * one name failing (a domain whose DNS moved away) holds back no other.
 */
export async function renewDueCertificates(ctx: ServiceContext): Promise<RenewalOutcome> {
  const ca = certificateAuthority(ctx);
  const now = ctx.clock();
  const outcome: RenewalOutcome = { renewed: [], failed: [] };
  for (const c of await ca.list()) {
    if (!isDueForRenewal(c.notAfter, now)) continue;
    try {
      await ca.issue(c.name);
      outcome.renewed.push(c.name);
    } catch (error) {
      outcome.failed.push({ name: c.name, message: (error as Error).message });
    }
  }
  return outcome;
}
