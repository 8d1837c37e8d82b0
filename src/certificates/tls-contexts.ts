import { readFileSync, statSync } from 'node:fs';
import { createSecureContext, type SecureContext } from 'node:tls';
import { certificateFiles } from './certificate-store.js';

// A host name as SNI carries it; anything else never names a directory of the store.
const HOST_NAME = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

/**
 * The API's TLS options: the configured certificate (MAILWRIGHT_TLS_CERT/KEY) by default, and
 * for a name the store holds a certificate of (`mta-sts.<domain>`, the mail host), that one.
 * Each is read again when its chain file changes, so a renewal by the server itself or by
 * `mailwright cert renew` is served from the next handshake on, without a restart.
 */
export function reloadingTls(
  dataDir: string,
  configured: { certFile: string; keyFile: string },
): {
  cert: Buffer;
  key: Buffer;
  SNICallback: (name: string, done: (error: Error | null, ctx?: SecureContext) => void) => void;
} {
  const cache = new Map<string, { mtimeMs: number; context: SecureContext }>();
  const contextOf = (certFile: string, keyFile: string): SecureContext | null => {
    const mtimeMs = statSync(certFile, { throwIfNoEntry: false })?.mtimeMs;
    if (mtimeMs === undefined) return null;
    const cached = cache.get(certFile);
    if (cached?.mtimeMs === mtimeMs) return cached.context;
    const context = createSecureContext({
      cert: readFileSync(certFile),
      key: readFileSync(keyFile),
    });
    cache.set(certFile, { mtimeMs, context });
    return context;
  };
  return {
    cert: readFileSync(configured.certFile),
    key: readFileSync(configured.keyFile),
    SNICallback: (name, done) => {
      try {
        const host = name.toLowerCase();
        const stored = HOST_NAME.test(host) ? certificateFiles(dataDir, host) : null;
        done(
          null,
          (stored && contextOf(stored.fullchain, stored.privkey)) ??
            contextOf(configured.certFile, configured.keyFile) ??
            undefined,
        );
      } catch (error) {
        // A pair caught between its two renames, or unreadable: this handshake fails, the
        // next one reads again.
        done(error as Error);
      }
    },
  };
}
