import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';

export type DkimAlgorithm = 'rsa' | 'ed25519';

export interface DkimKeyPair {
  /** PKCS#8 PEM: what signers (OpenDKIM, rspamd, Haraka…) read. */
  privateKeyPem: string;
  /** The `p=` tag of the DNS record, base64. */
  publicKeyBase64: string;
}

/** A key mail is signed with: the newest unretired one of each algorithm, per hostname. */
export interface SigningKey {
  domain: string;
  selector: string;
  algorithm: DkimAlgorithm;
  privateKeyPem: string;
}

const generate = promisify(generateKeyPair);
const ED25519_KEY_BYTES = 32;

/**
 * RSA 2048: RFC 8301 forbids verifying with less than 1024 bits and calls 2048 the size to
 * use, while 4096-bit records are too long for some DNS hosts' forms. Ed25519 (RFC 8463) is only worth publishing as
 * a second signature beside RSA, since many receivers still ignore it. The async API keeps the
 * ~100 ms of RSA prime search off the event loop.
 */
export async function generateDkimKeyPair(algorithm: DkimAlgorithm): Promise<DkimKeyPair> {
  if (algorithm === 'rsa') {
    const { publicKey, privateKey } = await generate('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'der' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    return { privateKeyPem: privateKey, publicKeyBase64: publicKey.toString('base64') };
  }
  const { publicKey, privateKey } = await generate('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  // RFC 8463 publishes the bare 32-byte key, not the SPKI structure RSA records carry; an
  // Ed25519 SPKI is a fixed 12-byte header followed by exactly those bytes.
  const raw = publicKey.subarray(-ED25519_KEY_BYTES);
  return { privateKeyPem: privateKey, publicKeyBase64: raw.toString('base64') };
}

/** The TXT value published at `<selector>._domainkey.<domain>`. */
export const dkimRecordValue = (algorithm: DkimAlgorithm, publicKeyBase64: string): string =>
  `v=DKIM1; k=${algorithm}; p=${publicKeyBase64}`;

// `e` is left out of the RSA suffixes so an RSA selector never reads as an Ed25519 one.
const RSA_SUFFIXES = ['', ...'bcdfghijklmnopqrstuvwxyz'];
const ED25519_SUFFIXES = ['', ...'bcdefghijklmnopqrstuvwxyz'];

/**
 * The next free selector: `mwYYYYMM` (RSA) or `mwYYYYMMe` (Ed25519) for the month of `now` in
 * UTC, then `b`, `c`… for further keys that month. A dated name tells at a glance how old a key
 * is, and a fresh name per key lets the old record stay published while mail signed with it is
 * still in flight. Undefined once a month's names are used up.
 */
export function nextDkimSelector(
  algorithm: DkimAlgorithm,
  now: Date,
  taken: Iterable<string>,
): string | undefined {
  const month = `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  const base = algorithm === 'rsa' ? `mw${month}` : `mw${month}e`;
  const used = new Set(taken);
  const suffixes = algorithm === 'rsa' ? RSA_SUFFIXES : ED25519_SUFFIXES;
  return suffixes.map((suffix) => base + suffix).find((selector) => !used.has(selector));
}
