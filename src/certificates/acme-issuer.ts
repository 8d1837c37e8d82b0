import { Agent } from 'node:https';
import { chmod, chown, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import acme from 'acme-client';
import { acmeDir, removeChallenge, writeChallenge } from './acme-challenges.js';
import { saveCertificate, type CertificateFiles } from './certificate-store.js';

export interface AcmeSettings {
  dataDir: string;
  directoryUrl: string;
  /** The account's contact (expiry notices, if the CA sends any); optional for RFC 8555. */
  email?: string;
  /** PEM bundle the CA's HTTPS is trusted with, instead of the system's (a private/test CA). */
  caFile?: string;
}

/** Obtains a certificate for one host name over HTTP-01 and stores it (certificate-store.ts). */
export type CertificateIssuer = (name: string) => Promise<CertificateFiles>;

export function acmeIssuer(settings: AcmeSettings): CertificateIssuer {
  let client: Promise<acme.Client> | undefined;
  return async (name) => {
    client ??= accountClient(settings).catch((error: unknown) => {
      client = undefined;
      throw error;
    });
    const c = await client;
    const [key, csr] = await acme.crypto.createCsr(
      { commonName: name, altNames: [name] },
      await acme.crypto.createPrivateEcdsaKey(),
    );
    const chain = await c.auto({
      csr,
      ...(settings.email ? { email: settings.email } : {}),
      termsOfServiceAgreed: true,
      challengePriority: ['http-01'],
      // The CA checks the answer itself; a self-check first would look through this host's own
      // resolver and NAT, which may well differ from the Internet's view.
      skipChallengeVerification: true,
      challengeCreateFn: (_authz, challenge, keyAuthorization) =>
        writeChallenge(settings.dataDir, challenge.token, keyAuthorization),
      challengeRemoveFn: (_authz, challenge) => removeChallenge(settings.dataDir, challenge.token),
    });
    return saveCertificate(settings.dataDir, name, chain, key.toString());
  };
}

/**
 * The ACME client of the account whose key is kept in `<data>/acme/account.key` (0600), made
 * on first use: renewals and new names reuse the account, as CAs expect.
 */
async function accountClient(settings: AcmeSettings): Promise<acme.Client> {
  if (settings.caFile) {
    // acme-client talks through its own axios instance; only it trusts the given CA.
    acme.axios.defaults.httpsAgent = new Agent({ ca: await readFile(settings.caFile) });
  }
  const file = join(acmeDir(settings.dataDir), 'account.key');
  let accountKey = await readFile(file, 'utf8').catch(() => null);
  if (accountKey === null) {
    accountKey = (await acme.crypto.createPrivateEcdsaKey()).toString();
    await mkdir(acmeDir(settings.dataDir), { recursive: true, mode: 0o755 });
    await writeFile(file, accountKey, { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600);
    // Made by root (`mailwright cert issue`) or by the server: both must use it later.
    const owner = await stat(settings.dataDir);
    await chown(file, owner.uid, owner.gid);
  }
  return new acme.Client({ directoryUrl: settings.directoryUrl, accountKey });
}
