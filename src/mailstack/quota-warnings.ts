import type { QuotaCrossing } from '../core/quota-watch.js';
import { listenUnix } from './unix-listener.js';

/**
 * Dovecot's quota warnings (queries.ts `quotaWarningFields`): the quota plugin connects to the
 * socket named in the warning and writes what Dovecot's script service reads, its program-client
 * protocol: `VERSION\tscript\t<major>\t<minor>`, `noreply`, any `env_…` lines, then one line per
 * argument and an empty line, and closes without waiting for an answer. The arguments are the
 * crossing and the mailbox's address.
 */
export interface QuotaWarning {
  crossing: QuotaCrossing;
  address: string;
}

/** A warning is a few hundred bytes; a client sending more is not Dovecot. */
const MAX_REQUEST_BYTES = 16 * 1024;

/** The warning in a complete request, or undefined for anything else. */
export function parseQuotaWarning(request: string): QuotaWarning | undefined {
  const [version, mode, ...rest] = request.split('\n');
  if (!version?.startsWith('VERSION\tscript\t') || mode !== 'noreply') return undefined;
  const args = rest.filter((line) => line !== '' && !line.startsWith('env_'));
  if (args.length !== 2) return undefined;
  const [crossing, address] = args as [string, string];
  if ((crossing !== 'over' && crossing !== 'under') || !address.includes('@')) return undefined;
  return { crossing, address };
}

/**
 * Serves the warnings on a unix socket (`listenUnix`). `record` runs for each in the order they
 * arrive; one that fails goes to `onError` and is lost, as Dovecot would lose one the service
 * was not up to take: the mailbox is then asked about at RCPT too rarely or too often until its
 * next crossing (docs/mail-plane.md, "No backscatter").
 */
export function serveQuotaWarnings(
  path: string,
  record: (warning: QuotaWarning) => Promise<void>,
  onError: (error: unknown) => void = () => undefined,
): Promise<{ close(): Promise<void> }> {
  let queue = Promise.resolve();
  return listenUnix(path, (socket) => {
    let request = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      request += chunk;
      const end = request.indexOf('\n\n');
      if (end === -1) {
        if (request.length > MAX_REQUEST_BYTES) socket.destroy();
        return;
      }
      const warning = parseQuotaWarning(request.slice(0, end));
      if (warning) queue = queue.then(() => record(warning)).catch(onError);
      socket.end();
    });
  });
}
