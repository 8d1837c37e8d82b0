import { listenUnix } from './unix-listener.js';

/**
 * Postfix's policy delegation protocol (SMTPD_POLICY_README): the client writes `name=value`
 * lines ending with an empty line, the server answers one `action=…` line and an empty line, and
 * the connection stays open for the next request.
 */
export type PolicyRequest = Record<string, string>;

/** What the server answers; `DUNNO` lets Postfix's other restrictions decide. */
export type PolicyAction = 'DUNNO' | { defer: string };

/** Postfix reads at most this much of one request line; a client sending more is not Postfix. */
const MAX_REQUEST_BYTES = 64 * 1024;

export function parsePolicyRequest(text: string): PolicyRequest {
  const request: PolicyRequest = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) request[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return request;
}

/**
 * The answer line. A deferral is `452 4.7.1`: "try later" to the client, per recipient at RCPT,
 * so what fits is still sent. CR and LF are stripped from the text: they would end the answer.
 */
export function formatPolicyAction(action: PolicyAction): string {
  const text = action === 'DUNNO' ? 'DUNNO' : `452 4.7.1 ${action.defer.replace(/[\r\n]+/g, ' ')}`;
  return `action=${text}\n\n`;
}

/**
 * Serves the protocol on a unix socket (`listenUnix`). A `decide` that throws answers
 * `451 4.3.0`, so a database error defers the message rather than letting it through unchecked.
 */
export function servePolicy(
  path: string,
  decide: (request: PolicyRequest) => Promise<PolicyAction>,
  onError: (error: unknown) => void = () => undefined,
): Promise<{ close(): Promise<void> }> {
  return listenUnix(path, (socket) => {
    let buffer = '';
    let queue = Promise.resolve();
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_REQUEST_BYTES) return socket.destroy();
      for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
        const request = parsePolicyRequest(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        // One answer per request, in order, as Postfix reads them.
        queue = queue.then(async () => {
          let answer: string;
          try {
            answer = formatPolicyAction(await decide(request));
          } catch (error) {
            onError(error);
            answer = 'action=451 4.3.0 Sending limits cannot be checked now; try again later\n\n';
          }
          if (!socket.destroyed) socket.write(answer);
        });
      }
    });
  });
}
