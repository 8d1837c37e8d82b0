import type { Problem } from './types';

/**
 * The one way the console talks to the API: same-origin fetch with the session cookie, the
 * CSRF header on every state-changing request, and problem+json turned into ApiError.
 */

let csrfToken: string | null = null;
let onSessionLost: () => void = () => {};

/** The token GET/POST /v1/session hand out; null after signing out. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the API answers 401 to a signed-in request (the session expired or ended). */
export function whenSessionLost(listener: () => void): void {
  onSessionLost = listener;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
    this.name = 'ApiError';
  }

  get status(): number {
    return this.problem.status;
  }

  get code(): string {
    return this.problem.code;
  }

  /** What the API said about one form field, including its nested fields (`password.value`). */
  messageFor(field: string): string | undefined {
    const messages = (this.problem.errors ?? [])
      .filter((issue) => issue.field === field || issue.field.startsWith(`${field}.`))
      .map((issue) => issue.message);
    return messages.length > 0 ? messages.join(' ') : undefined;
  }

  /** A string extra of the problem, such as `retryAt` or `host`. */
  extra(name: string): string | undefined {
    const value = this.problem[name];
    return typeof value === 'string' ? value : undefined;
  }
}

/** Failures with no answer from the server get the same shape, so forms show them alike. */
const unreachable = (): ApiError =>
  new ApiError({
    type: 'urn:mailwright:problem:network_error',
    title: 'Network error',
    status: 0,
    code: 'network_error',
    detail: 'Mailwright could not be reached. Check your connection, then try again.',
  });

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Send X-CSRF-Token on a GET too: a read with an effect (the one-time credentials). */
  csrf?: boolean;
}

async function send(method: Method, path: string, opts: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    ...opts.headers,
  };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if ((method !== 'GET' || opts.csrf) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw unreachable();
  }
  if (response.ok) return response;

  const problem = await readProblem(response);
  // Only a signed-in request losing its session means "sign in again"; the sign-in and
  // session probe answer 401 as part of their normal flow.
  if (response.status === 401 && !path.startsWith('/v1/session')) onSessionLost();
  throw new ApiError(problem);
}

async function readProblem(response: Response): Promise<Problem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return (await response.json()) as Problem;
    } catch {
      // Fall through to the generic problem below.
    }
  }
  return {
    type: 'about:blank',
    title: response.statusText || 'Error',
    status: response.status,
    code: `http_${response.status}`,
    detail: `The server answered ${response.status} ${response.statusText}. Try again in a moment.`,
  };
}

async function json<T>(method: Method, path: string, opts?: RequestOptions): Promise<T> {
  const response = await send(method, path, opts);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => json<T>('GET', path, { signal }),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    json<T>('POST', path, { body, headers }),
  patch: <T>(path: string, body: unknown) => json<T>('PATCH', path, { body }),
  delete: (path: string) => json<void>('DELETE', path),
  /**
   * A file answer (zone, CSV), with the name the server suggests. A file may be a one-time
   * secret whose download has an effect, so the CSRF token goes along.
   */
  async file(path: string): Promise<{ blob: Blob; filename: string | undefined }> {
    const response = await send('GET', path, { csrf: true });
    const disposition = response.headers.get('content-disposition') ?? '';
    let blob: Blob;
    try {
      blob = await response.blob();
    } catch {
      // The body broke off; a one-time file can be fetched again by this session for a while.
      throw unreachable();
    }
    return { blob, filename: /filename="([^"]+)"/.exec(disposition)?.[1] };
  },
};

/** A path with its query string; empty and undefined parameters are left out. */
export function withQuery(
  path: string,
  query: Record<string, string | number | undefined>,
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** `/v1/domains/{name}` and friends: names and addresses go into paths encoded. */
export const segment = (value: string): string => encodeURIComponent(value);
