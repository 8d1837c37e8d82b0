import { fail, ok, type Checked } from './errors.js';

export const RELAY_HOST_EXAMPLE = '[smtp.relay.example]:587';

/** A host name's 253 octets, its brackets and `:65535`: no longer value can be a relay. */
export const MAX_RELAY_HOST_LENGTH = 253 + 2 + 6;

// Postfix takes `[host]:port` as a destination without an MX lookup; the host is a name or an
// address literal (`[ipv6:…]` included). These characters also need no quoting in Postfix's
// tables, the only place the value goes.
const RELAY_HOST = /^\[[a-z0-9.:-]+\]:([0-9]{1,5})$/;

/**
 * A relay (smarthost) as `relayhost` and `sender_dependent_relayhost_maps` take it: the global
 * MAILWRIGHT_RELAY_HOST and a domain's own `relayHost` follow this one rule, and the relay
 * password file's lines are keyed by the same form. The value comes back lowercased, the form
 * Postfix looks logins up by.
 */
export function checkRelayHost(input: string): Checked<string> {
  const value = input.trim().toLowerCase();
  if (value === '') {
    return fail('required', `Enter the relay as [host]:port, e.g. ${RELAY_HOST_EXAMPLE}.`);
  }
  if (value.length > MAX_RELAY_HOST_LENGTH) {
    return fail(
      'too_long',
      `Enter a relay of at most ${MAX_RELAY_HOST_LENGTH} characters; this one has ${value.length}.`,
    );
  }
  const match = RELAY_HOST.exec(value);
  if (!match) {
    return fail(
      'not_relay_host',
      `Enter the relay as [host]:port, e.g. ${RELAY_HOST_EXAMPLE}: the brackets tell the mail server to connect to that host, not to look up its MX.`,
    );
  }
  const port = Number(match[1]);
  if (port < 1 || port > 65535) {
    return fail('bad_port', `Enter a port from 1 to 65535 after the brackets; got ${match[1]}.`);
  }
  return ok(value);
}

export const isRelayHost = (value: string): boolean => checkRelayHost(value).ok;
