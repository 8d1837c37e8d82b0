import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { TlsOptions } from 'node:tls';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
} from 'fastify';
import { controlCharacterIn } from '../core/control-characters.js';
import { type FieldIssue, validationErrors } from '../core/errors.js';
import { MAX_NAME_OCTETS } from '../core/hostname.js';
import { MAX_PATH_PARAM_LENGTH, type EdgeLimits } from '../core/http-edge.js';
import { MAX_ADDRESS_OCTETS } from '../core/local-part.js';
import { problem, type Problem } from '../core/problem-details.js';
import { errorToProblem, sendProblem } from './problem.js';

/**
 * The protocol-level edge of the API: timeouts, a cap on connections per client, answers to
 * requests Node's HTTP parser or Fastify's router refuse before any route runs, control
 * characters and the headers every response carries. Registered from buildApp.
 */

/** A certificate and key, and optionally a certificate per SNI name read at each handshake. */
export type HttpsOptions = Pick<TlsOptions, 'SNICallback'> & { cert: Buffer; key: Buffer };

/** Headers on every answer, including those written straight onto the socket. */
export const EVERY_RESPONSE_HEADERS = { 'x-content-type-options': 'nosniff' } as const;

/** The Fastify options of the edge: the server it runs on and its framework-level errors. */
export function edgeOptions(
  limits: EdgeLimits,
  tls?: HttpsOptions,
): Pick<
  FastifyServerOptions,
  'serverFactory' | 'clientErrorHandler' | 'frameworkErrors' | 'routerOptions'
> {
  return {
    serverFactory: (handler) => {
      const server = createServer(limits, handler, tls);
      capConnectionsPerClient(server, limits.maxConnectionsPerClient);
      return server;
    },
    clientErrorHandler: answerClientError(limits),
    frameworkErrors: answerFrameworkError,
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
  };
}

function createServer(
  limits: EdgeLimits,
  handler: http.RequestListener,
  tls?: HttpsOptions,
): http.Server {
  const headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  const options: http.ServerOptions = {
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node looks for expired requests on this interval (default 30 s, which would let a 30 s
    // timeout run to a minute): four times per shortest timeout, at most once a second.
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(headersTimeout / 4))),
    // Node would answer a missing Host with a bare 400 of its own; the edge hook answers a problem.
    requireHostHeader: false,
  };
  // Fastify's types tie HTTPS to a different instance type; requests and routes are the same.
  const server = tls
    ? (https.createServer({ ...options, ...tls }, handler) as unknown as http.Server)
    : http.createServer(options, handler);
  // A client that stops reading its answer holds the socket with nothing in flight.
  server.setTimeout(limits.requestTimeoutMs * 2);
  return server;
}

/**
 * One client (an IP address) may hold `max` connections; the next is closed at once, without an
 * answer: writing one would cost what the cap saves, and over TLS the socket is not yet readable
 * as HTTP. Behind a reverse proxy every client shares its address: raise the cap there.
 */
function capConnectionsPerClient(server: http.Server, max: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const client = socket.remoteAddress ?? '';
    const count = (open.get(client) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(client, count);
    socket.once('close', () => {
      const left = (open.get(client) ?? 1) - 1;
      if (left > 0) open.set(client, left);
      else open.delete(client);
    });
  });
}

function clientErrorProblem(
  error: NodeJS.ErrnoException & { reason?: string },
  limits: EdgeLimits,
) {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return problem(
      408,
      'request_timeout',
      `The request did not arrive in full within ${Math.round(limits.requestTimeoutMs / 1000)} seconds (headers within ${Math.round(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 1000)}); send it again in one go.`,
    );
  }
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return problem(
      431,
      'headers_too_large',
      `The request line and headers exceed ${http.maxHeaderSize} bytes; shorten the URL or the headers.`,
    );
  }
  return problem(
    400,
    'malformed_request',
    `This is not a valid HTTP/1.1 request (${error.reason ?? error.message}); send it with a standard HTTP client.`,
  );
}

/**
 * Errors of Node's HTTP parser (Content-Length beside Transfer-Encoding, a bad chunk size, a
 * control character in a header), oversized headers and timeouts happen before there is a
 * request object, so the answer is written onto the socket by hand, then the connection ends:
 * after a framing error the next byte's meaning is unknown.
 */
function answerClientError(limits: EdgeLimits) {
  return function (this: FastifyInstance, error: Error, socket: Socket): void {
    const failure = error as NodeJS.ErrnoException & { reason?: string };
    if (failure.code === 'ECONNRESET' || socket.destroyed) return;
    this.log.debug({ err: error }, 'client error');
    const inFlight = (socket as Socket & { _httpMessage?: http.ServerResponse })._httpMessage;
    // Once an answer has begun, another cannot be spliced into it.
    if (!socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const answer = clientErrorProblem(failure, limits);
    const body = JSON.stringify(answer);
    const head = [
      `HTTP/1.1 ${answer.status} ${http.STATUS_CODES[answer.status]}`,
      'Content-Type: application/problem+json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...Object.entries(EVERY_RESPONSE_HEADERS).map(([name, value]) => `${name}: ${value}`),
      'Connection: close',
    ];
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`, () => socket.destroy());
  };
}

/** Requests the router refuses before a route is chosen: no route hooks run for them. */
function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.headers(EVERY_RESPONSE_HEADERS);
  if (error.code === 'FST_ERR_BAD_URL') {
    return sendProblem(
      reply,
      problem(
        400,
        'bad_url',
        'The path is not valid: percent-encoded bytes must spell UTF-8 (e.g. %C3%A9 for é) and "%" must start an escape.',
      ),
    );
  }
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return sendProblem(reply, uriTooLong());
  return sendProblem(reply, errorToProblem(error, request));
}

/**
 * First hook of every routed request: the headers every answer carries, and Host, which
 * HTTP/1.1 requires (RFC 9112 §3.2) and the MTA-STS route needs to tell a domain. Synchronous,
 * in Fastify's callback style (`done` when the request goes on, nothing once it is answered):
 * it runs for every request and awaits nothing, so it costs no promise.
 */
export function onEveryRequest(
  request: FastifyRequest,
  reply: FastifyReply,
  done: (error?: Error) => void,
): void {
  for (const name in EVERY_RESPONSE_HEADERS) {
    reply.header(name, EVERY_RESPONSE_HEADERS[name as keyof typeof EVERY_RESPONSE_HEADERS]);
  }
  const refused = edgeProblem(request);
  if (refused) sendProblem(reply, refused);
  else done();
}

/** What onEveryRequest refuses a request for, if anything. */
function edgeProblem(request: FastifyRequest): Problem | undefined {
  if (request.raw.httpVersion === '1.1' && !request.headers.host) {
    return problem(400, 'missing_host', 'Send a Host header: HTTP/1.1 requires one.');
  }
  // Node hands a request to its route as soon as the headers are in, and Fastify never reads a
  // GET's body: a GET that acts (the credentials download) would act even when the body that
  // follows is broken, and its answer would then be replaced by the framing error's.
  if (BODILESS_METHODS.has(request.method) && hasBody(request)) {
    return problem(
      400,
      'body_not_allowed',
      `A ${request.method} request carries no body: send the request again without one.`,
    );
  }
  // The router refuses such a path (bad_url); the query parser would keep `%FF` as text. Only
  // a "%" can make the query undecodable.
  const query = request.url.indexOf('?');
  if (query >= 0 && !isPercentEncodedUtf8(request.url.slice(query + 1))) {
    return problem(
      400,
      'bad_url',
      'The query string is not valid: percent-encoded bytes must spell UTF-8 (e.g. %C3%A9 for é) and "%" must start an escape.',
    );
  }
  return undefined;
}

const BODILESS_METHODS = new Set(['GET', 'HEAD']);

const hasBody = (request: FastifyRequest): boolean =>
  request.headers['transfer-encoding'] !== undefined ||
  Number(request.headers['content-length'] ?? 0) > 0;

function isPercentEncodedUtf8(text: string): boolean {
  if (!text.includes('%')) return true;
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * A path segment longer than any route takes. The router refuses it on a route with a
 * parameter; a GET may instead reach the console's catch-all and end as not found.
 */
export const hasOverlongSegment = (url: string): boolean =>
  (url.split('?')[0] ?? '').split('/').some((segment) => segment.length > MAX_PATH_PARAM_LENGTH);

export const uriTooLong = () =>
  problem(
    414,
    'uri_too_long',
    `A path segment is longer than ${MAX_PATH_PARAM_LENGTH} characters; no hostname (${MAX_NAME_OCTETS}) or address (${MAX_ADDRESS_OCTETS}) is that long.`,
  );

/**
 * Control characters are refused before any rule or query sees them, the same on both
 * databases: none in path values and query values, none but TAB, LF and CR in body text (a CSV
 * file, one label per line).
 */
export function refuseControlCharacters(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: (error?: Error) => void,
): void {
  const issues = controlCharacterIssues(request);
  // Synchronous, like onEveryRequest: the refusal goes to the error handler as a thrown one would.
  done(issues.length > 0 ? validationErrors(issues) : undefined);
}

function controlCharacterIssues(request: FastifyRequest): FieldIssue[] {
  const issues: FieldIssue[] = [];
  // A walk with its own stack: a JSON body may nest arrays 100,000 deep.
  const pending: [string, unknown, boolean][] = [
    ['', request.params, false],
    ['', request.query, false],
    ['', request.body, true],
  ];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [field, value, text] = next;
    if (typeof value === 'string') {
      const found = controlCharacterIn(value, { text });
      if (found !== undefined) {
        const name = field || 'body';
        issues.push({
          field: name,
          code: 'invalid_character',
          message: `${name} contains ${found}; remove it.`,
        });
      }
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        pending.push([field ? `${field}.${key}` : key, item, text]);
      }
    }
  }
  return issues.reverse();
}

/**
 * `Content-Type: application/json` with an empty body means "no body", as curl sends it for a
 * body-less POST or DELETE with the JSON header set; a route that needs a body then gets a 422
 * naming `body` from its schema.
 */
export function acceptEmptyJson(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    body === '' ? done(null, undefined) : parseJson(request, body as string, done),
  );
}
