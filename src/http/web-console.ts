import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Only the console's own scripts and styles run, nothing frames it (clickjacking), and no
 * request to another origin is allowed to carry data away. Inline styles stay allowed for
 * React's `style` attributes; inline scripts do not.
 */
const HTML_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
} as const;

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mailwright</title></head>
<body><h1>The web console is not built</h1>
<p>The API is running (see <a href="/openapi.json">/openapi.json</a>). To get the console, run
<code>npm run build</code> and restart the server.</p></body></html>
`;

/** The default place of the built front end: `web/dist`, two levels above src/http or dist/http. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

/**
 * Serves the built single-page console at `/`. Returns the not-found fallback's answer for a
 * browser navigating to a console route (e.g. /domains/example.com): the page that routes it.
 */
export async function registerWebConsole(
  app: FastifyInstance,
  root: string,
): Promise<(reply: FastifyReply) => FastifyReply> {
  if (!existsSync(root)) {
    const notBuilt = (reply: FastifyReply) =>
      reply.code(503).headers(HTML_HEADERS).type('text/html; charset=utf-8').send(NOT_BUILT);
    app.get('/', { schema: { hide: true } }, (_req, reply) => notBuilt(reply));
    return notBuilt;
  }
  const assets = `${root.replace(/[/\\]+$/, '')}${sep}assets${sep}`;
  await app.register(fastifyStatic, {
    root,
    // Headers are set per file below.
    cacheControl: false,
    setHeaders(res, path) {
      // Vite names assets by content hash, so a changed file is a new URL: cache for good.
      if (path.startsWith(assets)) {
        res.setHeader('cache-control', 'public, max-age=31536000, immutable');
        return;
      }
      // Anything else (index.html first) is revalidated, so a deploy shows at the next load.
      res.setHeader('cache-control', 'no-cache');
      if (path.endsWith('.html')) {
        for (const [name, value] of Object.entries(HTML_HEADERS)) res.setHeader(name, value);
      }
    },
  });
  return (reply) => reply.sendFile('index.html');
}

/** A browser navigation (not an API call, asset or script) to a path no route or file serves. */
export function isConsoleNavigation(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '';
  return (
    (request.method === 'GET' || request.method === 'HEAD') &&
    !path.startsWith('/v1/') &&
    path !== '/openapi.json' &&
    (request.headers.accept ?? '').includes('text/html')
  );
}
