import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface CredentialsCipher {
  encrypt(plain: string): string;
  /** Throws when `sealed` was made with another key or altered since. */
  decrypt(sealed: string): string;
}

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
// 96 bits is the IV size GCM is specified for; a fresh random one per message keeps a key safe
// for far more messages than a mail platform will ever seal.
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Names the format so a later algorithm or key rotation can tell old values apart.
const PREFIX = 'v1.';
const HOW_TO_MAKE_KEY = 'make one with `openssl rand -hex 32`';

/** Seals secrets that must be shown again later (mailbox passwords), unlike hashed ones. */
export function createCipher(key: Buffer): CredentialsCipher {
  if (key.length !== KEY_BYTES) {
    throw new Error(
      `The secret key must be ${KEY_BYTES} bytes, not ${key.length}; ${HOW_TO_MAKE_KEY}.`,
    );
  }
  return {
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, key, iv);
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
    },
    decrypt(sealed) {
      if (!sealed.startsWith(PREFIX)) {
        throw new Error(
          `Sealed value does not start with ${PREFIX}; it was not made by this cipher.`,
        );
      }
      const bytes = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
      if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error('Sealed value is truncated.');
      const decipher = createDecipheriv(ALGORITHM, key, bytes.subarray(0, IV_BYTES));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      try {
        return Buffer.concat([
          decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch (error) {
        throw new Error(
          'Sealed value cannot be decrypted: it was made with another secret key or has been altered.',
          { cause: error },
        );
      }
    },
  };
}

/** Reads a 32-byte key written as 64 hex characters or as base64 / base64url. */
export function parseSecretKey(value: string): Buffer {
  const key = decodeKey(value.trim());
  if (key?.length !== KEY_BYTES) {
    throw new Error(
      `The secret key must be ${KEY_BYTES} random bytes written as 64 hex characters or base64; ${HOW_TO_MAKE_KEY}.`,
    );
  }
  return key;
}

function decodeKey(text: string): Buffer | undefined {
  if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, 'hex');
  // Node's base64 decoder reads the base64url alphabet too.
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return Buffer.from(text, 'base64');
  return undefined;
}
