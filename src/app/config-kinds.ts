// The kinds of value particular to some of Mailwright's variables; the generic ones (numbers,
// words, text) are in config-schema.ts.
import { isIP } from 'node:net';
import { ACCOUNT_NAME } from '../core/account-name.js';
import { parseSecretKey } from '../core/credentials-cipher.js';
import { checkOperatorEmail } from '../core/operator-email.js';
import { checkRelayHost } from '../core/relay-host.js';
import { BadValue, type Kind } from './config-schema.js';

export function databaseUrl(): Kind<string> {
  return {
    accepts: '`sqlite:PATH`, or `postgres://user@host:5432/db` to use PostgreSQL',
    bad: 'mysql://localhost/mailwright',
    parse(value) {
      if (/^sqlite:./.test(value) || /^postgres(ql)?:\/\/./.test(value)) return value;
      throw new BadValue();
    },
  };
}

export function listenAddress(): Kind<{ host: string; port: number }> {
  return {
    accepts: '`host:port` (`[::1]:8025` for IPv6)',
    bad: 'localhost',
    parse(value) {
      const match = /^(?:\[(?<v6>[^\]]+)\]|(?<host>[^:]+)):(?<port>\d+)$/.exec(value);
      const port = Number(match?.groups?.port);
      if (!match || port > 65535) throw new BadValue();
      return { host: match.groups?.v6 ?? match.groups?.host ?? '', port };
    },
  };
}

/** `ip`, `ip:port` or `[ipv6]:port`: what Node's resolver and the RFC 2136 driver take. */
function isServerAddress(value: string): boolean {
  const match = /^\[(?<v6>[^\]]+)\]:(?<port>\d+)$|^(?<v4>[^:]+):(?<port4>\d+)$/.exec(value);
  const port = Number(match?.groups?.port ?? match?.groups?.port4 ?? 53);
  const address = match?.groups?.v6 ?? match?.groups?.v4 ?? value;
  return isIP(address) !== 0 && port >= 1 && port <= 65535;
}

export function serverAddress(): Kind<string> {
  return {
    accepts: 'an IP address, optionally with `:port` (`[2001:db8::53]:53` for IPv6)',
    bad: 'ns1.example.net',
    parse(value) {
      if (!isServerAddress(value)) throw new BadValue();
      return value;
    },
  };
}

export function relayHost(): Kind<string> {
  return {
    accepts: '`[host]:port` (the brackets: no MX lookup), e.g. `[smtp.relay.example]:587`',
    bad: 'smtp.relay.example',
    parse(value) {
      const checked = checkRelayHost(value);
      if (!checked.ok) throw new BadValue();
      return checked.value;
    },
  };
}

export function relayHosts(): Kind<string[]> {
  return {
    accepts: 'comma-separated `[host]:port`, e.g. `[smtp.relay.example]:587,[127.0.0.1]:2525`',
    bad: 'smtp.relay.example:587',
    parse(value) {
      const checked = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map(checkRelayHost);
      return checked.map((c) => {
        if (!c.ok) throw new BadValue();
        return c.value;
      });
    },
  };
}

export function serverAddresses(): Kind<string[]> {
  return {
    accepts: 'comma-separated IP addresses, each optionally with `:port` (`[::1]:53` for IPv6)',
    bad: '1.1.1',
    parse(value) {
      const servers = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (!servers.every(isServerAddress)) throw new BadValue();
      return servers;
    },
  };
}

/** Addresses a server binds: comma-separated IPs, no ports (those are variables of their own). */
export function ipAddresses(): Kind<string> {
  return {
    accepts: 'comma-separated IP addresses (`203.0.113.10,2001:db8::10`)',
    bad: 'mx.example.net',
    parse(value) {
      const addresses = value.split(',').map((a) => a.trim());
      if (!addresses.every((a) => isIP(a) !== 0)) throw new BadValue();
      return addresses.join(',');
    },
  };
}

export function ipAddress(family: 4 | 6): Kind<string> {
  return {
    accepts: `an IPv${family} address (\`${family === 4 ? '203.0.113.10' : '2001:db8::10'}\`)`,
    bad: family === 4 ? '2001:db8::10' : '203.0.113.10',
    parse(value) {
      if (isIP(value.trim()) !== family) throw new BadValue();
      return value.trim();
    },
  };
}

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';

export function hostName(): Kind<string> {
  const host = new RegExp(`^(?=.{1,254}$)${LABEL}(?:\\.${LABEL})*\\.?$`, 'i');
  return {
    accepts: 'a host name such as `mx.example.net`',
    bad: 'https://mx.example.net',
    parse(value) {
      if (!host.test(value)) throw new BadValue();
      return value;
    },
  };
}

// The `mx` mechanism and each include cost at least one of SPF's ten DNS lookups (RFC 7208
// §4.6.4); past ten, receivers treat the record as broken.
const MAX_SPF_INCLUDES = 9;
const SPF_DOMAIN =
  /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)+$/;

export function spfIncludes(): Kind<string[]> {
  const accepts = `comma-separated domains, e.g. \`_spf.example-relay.net\`, at most ${MAX_SPF_INCLUDES}`;
  return {
    accepts,
    bad: 'ip4:192.0.2.1',
    parse(value) {
      const includes = value
        .split(',')
        .map((s) =>
          s
            .trim()
            .toLowerCase()
            .replace(/^include:/, ''),
        )
        .filter(Boolean);
      const bad = includes.find((i) => !SPF_DOMAIN.test(i));
      if (bad !== undefined) throw new BadValue(`must be ${accepts}; "${bad}" is not a domain.`);
      if (includes.length > MAX_SPF_INCLUDES) {
        throw new BadValue(
          `has ${includes.length} domains; SPF allows ten DNS lookups and \`mx\` takes one, so use at most ${MAX_SPF_INCLUDES}.`,
        );
      }
      return includes;
    },
  };
}

export function dmarcRua(): Kind<string> {
  return {
    accepts: 'one address reports go to, e.g. `mailto:dmarc@example.net`',
    bad: 'https://reports.example.net',
    parse(value) {
      const address = value.replace(/^mailto:/i, '');
      if (!/^[^\s@,;!]+@[^\s@,;!]+\.[^\s@,;!]+$/.test(address)) throw new BadValue();
      return `mailto:${address}`;
    },
  };
}

export function emailAddress(): Kind<string> {
  return {
    accepts: 'an email address',
    bad: 'hostmaster',
    parse(value) {
      const checked = checkOperatorEmail(value);
      if (!checked.ok) throw new BadValue(`must be an email address: ${checked.message}`);
      return checked.value;
    },
  };
}

export function secretKey(): Kind<Buffer> {
  return {
    accepts: '64 hex characters (`openssl rand -hex 32`) or 32 bytes in base64',
    bad: 'hunter2',
    parse(value) {
      try {
        return parseSecretKey(value);
      } catch {
        throw new BadValue();
      }
    },
  };
}

/** The form `nsupdate -y` and `tsig-keygen` users know: algorithm:name:secret. */
export function tsigKey(): Kind<{
  algorithm: 'hmac-sha256' | 'hmac-sha512';
  keyName: string;
  keySecret: string;
}> {
  return {
    accepts: '`algorithm:name:secret` with algorithm `hmac-sha256` or `hmac-sha512`',
    bad: 'hmac-md5:mailwright:c2VjcmV0',
    parse(value) {
      const [algorithm, keyName, ...secret] = value.split(':');
      if (
        (algorithm !== 'hmac-sha256' && algorithm !== 'hmac-sha512') ||
        !keyName ||
        secret.length === 0
      ) {
        throw new BadValue();
      }
      return { algorithm, keyName, keySecret: secret.join(':') };
    },
  };
}

export function httpUrl(): Kind<string> {
  return {
    accepts: 'an `http://` or `https://` URL',
    bad: '127.0.0.1:8081',
    parse(value) {
      if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
        throw new BadValue();
      }
      return value;
    },
  };
}

export function accountName(): Kind<string> {
  return {
    accepts: 'an account name: 1–63 lowercase letters, digits and inner hyphens',
    bad: '-acme',
    parse(value) {
      if (!ACCOUNT_NAME.test(value.toLowerCase())) throw new BadValue();
      return value;
    },
  };
}

export function onOff(): Kind<boolean> {
  return {
    accepts: '`1` (on) or `0` (off)',
    bad: 'yes',
    parse(value) {
      if (value !== '0' && value !== '1') throw new BadValue();
      return value === '1';
    },
  };
}
