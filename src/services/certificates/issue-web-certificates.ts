import { webHosts } from '../../core/certificates.js';
import type { Actor, ServiceContext } from '../context.js';
import { certificateAuthority, requireWebRedirect, webDomain } from './certificate-names.js';
import { listCertificates, type CertificateStatus } from './list-certificates.js';

export interface WebCertificatesOutcome {
  /** The certificates now stored, in the order of `webHosts`. */
  issued: CertificateStatus[];
  /** The names the CA refused or could not validate (the other one is still issued). */
  failed: { name: string; message: string }[];
}

/**
 * Obtains the certificates of a redirected root domain's web hosts, `<domain>` and
 * `www.<domain>`, one per name: `www.` pointing elsewhere (its own CNAME) fails alone. The
 * domain must be the actor's (with no actor, the operator's CLI: any account's), verified and
 * redirected (certificate-names.ts), checked before the CA is asked.
 */
export async function issueWebCertificates(
  ctx: ServiceContext,
  input: string,
  actor?: Actor,
): Promise<WebCertificatesOutcome> {
  const domain = await webDomain(ctx, input, actor);
  requireWebRedirect(domain);
  const ca = certificateAuthority(ctx);
  const names = webHosts(domain.name);
  const failed: WebCertificatesOutcome['failed'] = [];
  for (const name of names) {
    try {
      await ca.issue(name);
    } catch (error) {
      failed.push({ name, message: (error as Error).message });
    }
  }
  const stored = await listCertificates(ctx);
  const issued = names
    .filter((name) => !failed.some((f) => f.name === name))
    .map((name) => {
      const c = stored.find((s) => s.name === name);
      if (!c) throw new Error(`The certificate of ${name} was not stored.`);
      return c;
    });
  return { issued, failed };
}
