import createClient, {
  type ClientPathsWithMethod,
  type MaybeOptionalInit,
  type MethodResponse,
  type Middleware,
} from 'openapi-fetch';
import type { paths } from './openapi';
import type { Problem } from './types';

/**
 * The one way the console talks to the API: a client typed from openapi.json (a wrong path,
 * method, parameter or body is a compile error), same-origin fetch with the session cookie,
 * the CSRF header on every state-changing request, and problem+json thrown as ApiError.
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

/** Reads with an effect (the one-time credentials): the CSRF token goes along, as on a POST. */
const READS_WITH_EFFECT: ReadonlySet<string> = new Set<keyof paths>([
  '/v1/jobs/{id}/credentials.csv',
]);

const session: Middleware = {
  onRequest({ request, schemaPath }) {
    if (csrfToken && (request.method !== 'GET' || READS_WITH_EFFECT.has(schemaPath)))
      request.headers.set('x-csrf-token', csrfToken);
  },
  async onResponse({ response, schemaPath }) {
    if (response.ok) return;
    const problem = await readProblem(response);
    // Only a signed-in request losing its session means "sign in again"; the sign-in and
    // session probe answer 401 as part of their normal flow.
    if (response.status === 401 && !schemaPath.startsWith('/v1/session')) onSessionLost();
    throw new ApiError(problem);
  },
  onError({ error }) {
    // An abort is the caller's own doing and goes back to it as it is.
    if (error instanceof DOMException && error.name === 'AbortError') return;
    return unreachable();
  },
};

const client = createClient<paths>({
  credentials: 'same-origin',
  headers: { accept: 'application/json, application/problem+json' },
});
client.use(session);

type Method = 'get' | 'post' | 'patch' | 'delete';
type PathOf<M extends Method> = ClientPathsWithMethod<typeof client, M>;
type Init<M extends Method, P extends PathOf<M>> = MaybeOptionalInit<paths[P], M>;
/** The options argument, left out where nothing in it is required. */
type InitArg<I> = undefined extends I ? [init?: I] : [init: I];

/** What a path answers on success, e.g. `Answer<'get', '/v1/limits'>` (void for a 204). */
export type Answer<M extends Method, P extends PathOf<M>> =
  MethodResponse<typeof client, M, P> extends infer T ? ([T] extends [never] ? void : T) : never;

/**
 * The options are typed from the path alone, not inferred from the call, so an unknown query
 * parameter or body field is an error too, not only a missing or mistyped one.
 */
type Call<M extends Method> = <P extends PathOf<M>>(
  url: P,
  ...init: InitArg<Init<M, P>>
) => Promise<Answer<M, P>>;

function call<M extends Method>(method: M): Call<M> {
  // openapi-fetch types its options by inference; `Call` has already checked them.
  const send = (url: string, init?: object) =>
    client.request(method, url as never, init as never).then(({ data }) => data);
  return send as unknown as Call<M>;
}

/**
 * `api.GET('/v1/domains/{name}', { params: { path: { name } } })` answers the domain. A failed
 * call rejects with ApiError, a network failure too.
 */
export const api = {
  GET: call('get'),
  POST: call('post'),
  PATCH: call('patch'),
  DELETE: call('delete'),
};

/**
 * One shape of an answer that can take several (POST /v1/mailboxes: a preview, a job or a
 * mailbox), picked by the property that only that shape has.
 */
export function shapeOf<T extends object, K extends string>(
  answer: T,
  key: K,
): Extract<T, Record<K, unknown>> {
  if (key in answer) return answer as Extract<T, Record<K, unknown>>;
  throw new Error(`The API answered without "${key}".`);
}

/** A file answer (CSV), with the name the server suggests. */
export async function downloadFile<P extends PathOf<'get'>>(
  url: P,
  ...init: InitArg<Init<'get', P>>
): Promise<{ blob: Blob; filename: string | undefined }> {
  // As a stream, so the body is read here, where a transfer that breaks off is told apart.
  const options = { ...init[0], parseAs: 'stream' };
  const { response } = await client.request('get', url as never, options as never);
  const disposition = response.headers.get('content-disposition') ?? '';
  let blob: Blob;
  try {
    blob = await response.blob();
  } catch {
    // The body broke off; a one-time file can be fetched again by this session for a while.
    throw unreachable();
  }
  return { blob, filename: /filename="([^"]+)"/.exec(disposition)?.[1] };
}
