import type { Actor, ServiceContext } from '../context.js';
import { certificateAuthority, checkCertificateName } from './certificate-names.js';
import { listCertificates, type CertificateStatus } from './list-certificates.js';

/** Obtains a certificate for an allowed name (certificate-names.ts) and returns its status. */
export async function issueCertificate(
  ctx: ServiceContext,
  input: string,
  actor?: Actor,
): Promise<CertificateStatus> {
  const name = await checkCertificateName(ctx, input, actor);
  await certificateAuthority(ctx).issue(name);
  const issued = (await listCertificates(ctx)).find((c) => c.name === name);
  if (!issued) throw new Error(`The certificate of ${name} was not stored.`);
  return issued;
}
