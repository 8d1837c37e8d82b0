import { daysLeft, isDueForRenewal } from '../../core/certificates.js';
import type { ServiceContext } from '../context.js';
import { certificateAuthority } from './certificate-names.js';

export interface CertificateStatus {
  name: string;
  notBefore: string;
  notAfter: string;
  /** Whole days until it expires; negative once expired. */
  daysLeft: number;
  /** Within RENEW_DAYS_BEFORE_EXPIRY: the next renewal run replaces it. */
  renewalDue: boolean;
}

export async function listCertificates(ctx: ServiceContext): Promise<CertificateStatus[]> {
  const now = ctx.clock();
  return (await certificateAuthority(ctx).list()).map((c) => ({
    name: c.name,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    daysLeft: daysLeft(c.notAfter, now),
    renewalDue: isDueForRenewal(c.notAfter, now),
  }));
}
