import net from 'node:net';

export interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends bytes exactly as given to a server on loopback and reads its answer until it closes
 * the connection: what an attacker or a broken client really sends, which app.inject (it builds
 * a well-formed request itself) cannot.
 */
export function rawRequest(
  port: number,
  request: string | Buffer,
  opts: { timeoutMs?: number } = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.setTimeout(opts.timeoutMs ?? 10_000, () =>
      socket.destroy(new Error(`no answer within ${opts.timeoutMs ?? 10_000} ms`)),
    );
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error) => (chunks.length > 0 ? finish() : reject(error)));
    socket.on('end', finish);
    socket.write(request);
    let done = false;
    function finish() {
      if (done) return;
      done = true;
      socket.destroy();
      try {
        resolve(parseReply(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    }
  });
}

/** Parses an HTTP/1.1 answer as read off a socket (`latin1` text or bytes). */
export function parseReply(raw: Buffer | string): RawReply {
  if (typeof raw === 'string') raw = Buffer.from(raw, 'latin1');
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`not an HTTP response: ${JSON.stringify(text.slice(0, 200))}`);
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  if (!Number.isInteger(status)) throw new Error(`bad status line: ${statusLine}`);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(Buffer.byteLength(text.slice(0, end + 4), 'latin1'));
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  return { status, headers, body: body.toString('utf8') };
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (!(size > 0)) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** A complete HTTP/1.1 request with a body and Connection: close. */
export function httpRequest(
  method: string,
  target: string,
  opts: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Buffer {
  const body = opts.body === undefined ? undefined : Buffer.from(opts.body);
  const headers: Record<string, string> = {
    host: '127.0.0.1',
    connection: 'close',
    ...(body ? { 'content-length': String(body.length) } : {}),
    ...opts.headers,
  };
  const head =
    `${method} ${target} HTTP/1.1\r\n` +
    Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('') +
    '\r\n';
  return Buffer.concat([Buffer.from(head, 'latin1'), body ?? Buffer.alloc(0)]);
}
