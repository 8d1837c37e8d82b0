import { createServer, type IncomingMessage, type Server } from 'node:http';

/**
 * Dovecot's auth policy protocol, the report half only (render.ts: report_after_auth, no
 * checks): after each authentication Dovecot POSTs `?command=report` with a JSON object of the
 * configured attributes plus `success`. Mailwright asks for `user` and `app_password` (the
 * passdb field naming the app password that matched; empty for the mailbox's own password).
 */
export interface AuthReport {
  user: string;
  /** The app password's public id; undefined when the mailbox's own password was used. */
  appPassword?: string;
}

/** Dovecot never sends more than a few hundred bytes; anything longer is not Dovecot. */
const MAX_BODY_BYTES = 16 * 1024;

/** A successful login's report, or undefined for anything else (failures, checks, noise). */
export function parseAuthReport(command: string | null, body: string): AuthReport | undefined {
  if (command !== 'report') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { user, app_password: appPassword, success } = parsed as Record<string, unknown>;
  if (success !== true || typeof user !== 'string' || user === '') return undefined;
  return typeof appPassword === 'string' && appPassword !== '' ? { user, appPassword } : { user };
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY_BYTES) req.destroy(new Error('report too long'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });

/**
 * Serves the reports on 127.0.0.1:`port`. Every request is answered `{"status":0}` (Dovecot's
 * "no opinion") at once: recording is Mailwright's business, never a reason to fail a login.
 */
export async function serveAuthReports(
  port: number,
  record: (report: AuthReport) => Promise<void>,
  onError: (error: unknown) => void = () => undefined,
): Promise<{ close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":0,"msg":""}');
    if (req.method !== 'POST') return;
    const command = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('command');
    readBody(req)
      .then((body) => {
        const report = parseAuthReport(command, body);
        return report ? record(report) : undefined;
      })
      .catch(onError);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
