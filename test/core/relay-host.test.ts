import { describe, expect, it } from 'vitest';
import { checkRelayHost, isRelayHost, MAX_RELAY_HOST_LENGTH } from '../../src/core/relay-host.js';
import { expectFailure, expectValue } from './expect-checked.js';

describe('checkRelayHost', () => {
  it.each([
    ['[smtp.relay.example]:587', '[smtp.relay.example]:587'],
    ['  [SMTP.Relay.Example]:2525 ', '[smtp.relay.example]:2525'],
    ['[127.0.0.1]:25', '[127.0.0.1]:25'],
    ['[ipv6:2001:db8::1]:465', '[ipv6:2001:db8::1]:465'],
    ['[a.example]:65535', '[a.example]:65535'],
  ])('accepts %j as %j', (input, value) => {
    expect(expectValue(checkRelayHost(input))).toBe(value);
  });

  it.each([
    ['smtp.relay.example', 'not_relay_host'],
    ['smtp.relay.example:587', 'not_relay_host'],
    ['[smtp.relay.example]', 'not_relay_host'],
    ['[smtp relay.example]:587', 'not_relay_host'],
    ['[smtp.relay.example]:587 extra', 'not_relay_host'],
    ['[]:587', 'not_relay_host'],
    ['[host_name.example]:587', 'not_relay_host'],
  ])('refuses %j, showing the [host]:port form', (input, code) => {
    expectFailure(checkRelayHost(input), code, '[smtp.relay.example]:587');
  });

  it.each(['[a.example]:0', '[a.example]:65536', '[a.example]:99999'])(
    'refuses the port of %j, naming the range',
    (input) => {
      expectFailure(checkRelayHost(input), 'bad_port', 'from 1 to 65535');
    },
  );

  it('asks for a value when given only spaces', () => {
    expectFailure(checkRelayHost('  '), 'required', '[host]:port');
  });

  it('refuses a value longer than any host name can make, saying how long it is', () => {
    const long = `[${'a'.repeat(MAX_RELAY_HOST_LENGTH)}]:25`;
    expectFailure(checkRelayHost(long), 'too_long', `${long.length}`);
  });

  it('answers the same as isRelayHost, the form MAILWRIGHT_RELAY_HOST is checked with', () => {
    expect(isRelayHost('[smtp.relay.example]:587')).toBe(true);
    expect(isRelayHost('smtp.relay.example:587')).toBe(false);
  });
});
