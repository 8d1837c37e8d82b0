import { X509Certificate } from 'node:crypto';
import { chmod, chown, mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The certificates Mailwright obtained, one directory per host name under the data dir:
 * `<data>/certs/<name>/fullchain.pem` and `privkey.pem`, the layout certbot users know, so
 * MAILWRIGHT_MAIL_TLS_CERT/KEY and MAILWRIGHT_TLS_CERT/KEY can name the files directly.
 */

export interface CertificateFiles {
  name: string;
  fullchain: string;
  privkey: string;
}

export interface StoredCertificate extends CertificateFiles {
  notBefore: Date;
  notAfter: Date;
}

export const certificatesDir = (dataDir: string): string => join(dataDir, 'certs');

export function certificateFiles(dataDir: string, name: string): CertificateFiles {
  const dir = join(certificatesDir(dataDir), name);
  return { name, fullchain: join(dir, 'fullchain.pem'), privkey: join(dir, 'privkey.pem') };
}

/** The validity of the first (leaf) certificate of a PEM chain file. */
export async function readCertificate(file: string): Promise<X509Certificate> {
  return new X509Certificate(await readFile(file));
}

/** Every stored certificate, by name; a directory without a readable chain is left out. */
export async function listCertificates(dataDir: string): Promise<StoredCertificate[]> {
  const names = await readdir(certificatesDir(dataDir)).catch(() => [] as string[]);
  const found: StoredCertificate[] = [];
  for (const name of names.sort()) {
    const files = certificateFiles(dataDir, name);
    const cert = await readCertificate(files.fullchain).catch(() => null);
    if (cert) {
      found.push({
        ...files,
        notBefore: new Date(cert.validFrom),
        notAfter: new Date(cert.validTo),
      });
    }
  }
  return found;
}

/**
 * Stores a certificate and its key, each written beside its name and renamed over it, so no
 * reader sees half a file. The key is 0640, owned like the data dir: the API (running as its
 * owner) reads it, and Postfix and Dovecot read it as root when they start or reload.
 */
export async function saveCertificate(
  dataDir: string,
  name: string,
  fullchain: string,
  privkey: string,
): Promise<CertificateFiles> {
  const files = certificateFiles(dataDir, name);
  const owner = await stat(dataDir);
  for (const dir of [certificatesDir(dataDir), join(certificatesDir(dataDir), name)]) {
    await mkdir(dir, { recursive: true, mode: 0o750 });
    await chown(dir, owner.uid, owner.gid);
  }
  // The chain last: the API reloads a pair when the chain changes, by then the key is new too.
  for (const [file, content, mode] of [
    [files.privkey, privkey, 0o640],
    [files.fullchain, fullchain, 0o644],
  ] as const) {
    const temp = `${file}.new`;
    await writeFile(temp, content, { mode });
    await chmod(temp, mode);
    await chown(temp, owner.uid, owner.gid);
    await rename(temp, file);
  }
  return files;
}
