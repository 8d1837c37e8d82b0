import { MAX_ADDRESS_OCTETS } from './local-part.js';

/**
 * What the HTTP server accepts at the protocol level, before any route runs. Each limit is
 * here once; src/app/config.ts reads the overridable ones from the environment and src/http/edge.ts
 * applies them.
 */
export interface EdgeLimits {
  /** A whole request, headers and body, must arrive within this; then 408 (slow bodies). */
  requestTimeoutMs: number;
  /** The request line and headers must arrive within this (slowloris); at most requestTimeoutMs. */
  headersTimeoutMs: number;
  /** An idle kept-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Open connections one client IP may hold; more are closed at once. */
  maxConnectionsPerClient: number;
}

export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;
export const DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 32;

export const DEFAULT_EDGE_LIMITS: EdgeLimits = {
  requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_SECONDS * 1000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  maxConnectionsPerClient: DEFAULT_MAX_CONNECTIONS_PER_CLIENT,
};

/**
 * Longest path segment a route takes, as sent (still percent-encoded). Hostnames are legal to
 * 253 octets and addresses to 254 (RFC 1035, RFC 5321); sent in Unicode, each character may be
 * four UTF-8 octets of three characters each (`%F0%9F%98%80`).
 */
export const MAX_PATH_PARAM_LENGTH = MAX_ADDRESS_OCTETS * 4 * 3;
