import { createServer, type Server } from 'node:http';
import { chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * HTTP-01 challenges (RFC 8555 §8.3) pass through files under the data dir, so whichever
 * process answers on port 80 (the running server, or `mailwright cert issue` itself when no
 * server runs) answers the challenges of whichever process asked the CA.
 */

export const ACME_CHALLENGE_PATH = '/.well-known/acme-challenge/';

// base64url, as the CA makes tokens (RFC 8555 §8.3): nothing that could leave the directory.
const TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

export const acmeDir = (dataDir: string): string => join(dataDir, 'acme');
const challengesDir = (dataDir: string) => join(acmeDir(dataDir), 'challenges');

export async function writeChallenge(
  dataDir: string,
  token: string,
  keyAuthorization: string,
): Promise<void> {
  if (!TOKEN.test(token)) throw new Error(`The CA sent a malformed challenge token: ${token}`);
  const owner = await stat(dataDir);
  for (const dir of [acmeDir(dataDir), challengesDir(dataDir)]) {
    await mkdir(dir, { recursive: true, mode: 0o755 });
    await chown(dir, owner.uid, owner.gid);
  }
  await writeFile(join(challengesDir(dataDir), token), keyAuthorization, { mode: 0o644 });
}

export async function removeChallenge(dataDir: string, token: string): Promise<void> {
  if (TOKEN.test(token)) await rm(join(challengesDir(dataDir), token), { force: true });
}

/** The key authorization to answer for a request path, or null (not a pending challenge). */
export async function challengeAnswer(dataDir: string, path: string): Promise<string | null> {
  if (!path.startsWith(ACME_CHALLENGE_PATH)) return null;
  const token = path.slice(ACME_CHALLENGE_PATH.length);
  if (!TOKEN.test(token)) return null;
  return readFile(join(challengesDir(dataDir), token), 'utf8').catch(() => null);
}

/**
 * The plain-HTTP listener (MAILWRIGHT_HTTP_LISTEN, port 80 in production): answers ACME
 * challenges and sends everything else to the same address over HTTPS, so port 80 serves no
 * content of its own.
 */
export async function startChallengeListener(
  dataDir: string,
  listen: { host: string; port: number },
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    void challengeAnswer(dataDir, path).then((answer) => {
      if (answer !== null) {
        response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(answer);
        return;
      }
      const host = request.headers.host?.replace(/:\d+$/, '');
      if (request.method === 'GET' && host && /^[A-Za-z0-9.-]+$/.test(host)) {
        response.writeHead(301, { location: `https://${host}${request.url ?? '/'}` }).end();
      } else {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : listen.port;
  return {
    server,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
