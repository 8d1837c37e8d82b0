import { createServer, type Server, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { freePort } from './ports.js';

/** One message as the catcher received it: the envelope and the raw data. */
export interface CaughtMessage {
  from: string;
  to: string[];
  data: string;
  /** The user the client authenticated as (AUTH PLAIN or LOGIN), if it did. */
  user?: string;
  /** Whether the session was encrypted (STARTTLS) when the message came. */
  tls: boolean;
}

/** A relay that takes mail only from a logged-in client, and the login only after STARTTLS. */
export interface CatcherOptions {
  login?: { user: string; password: string };
  tls?: { cert: Buffer; key: Buffer };
}

/**
 * The outside world for tests: a loopback SMTP server that accepts every message and keeps it
 * (with `login`, only from a client that logged in; with `tls`, offering STARTTLS first),
 * standing in for other providers' MX (the mail plane's relayhost points here), so nothing a
 * test sends leaves the machine.
 */
export interface SmtpCatcher {
  port: number;
  messages: CaughtMessage[];
  /** AUTH attempts, with whether they were accepted. */
  logins: { user: string; ok: boolean }[];
  /** Resolves with the first message matching `match`, or rejects after `ms`. */
  waitFor(match: (m: CaughtMessage) => boolean, ms?: number): Promise<CaughtMessage>;
  close(): Promise<void>;
}

export async function startSmtpCatcher(opts: CatcherOptions = {}): Promise<SmtpCatcher> {
  const messages: CaughtMessage[] = [];
  const logins: SmtpCatcher['logins'] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((plain) => {
    sockets.add(plain);
    plain.on('close', () => sockets.delete(plain));
    plain.on('error', () => undefined);
    let socket: Socket = plain;
    let buffer = '';
    let inData = false;
    let user: string | undefined;
    let authLogin: string | null = null;
    const fresh = (): CaughtMessage => ({ from: '', to: [], data: '', tls: socket !== plain });
    let current = fresh();
    const reply = (line: string) => socket.write(`${line}\r\n`);
    const login = (name: string, password: string) => {
      const ok = name === opts.login?.user && password === opts.login.password;
      logins.push({ user: name, ok });
      if (ok) user = name;
      reply(ok ? '235 2.7.0 accepted' : '535 5.7.8 bad credentials');
    };
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          current.data = buffer.slice(0, end + 2);
          buffer = buffer.slice(end + 5);
          inData = false;
          messages.push({ ...current, ...(user ? { user } : {}) });
          current = fresh();
          reply('250 2.0.0 caught');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        const encrypted = socket !== plain;
        if (authLogin !== null) {
          // AUTH LOGIN: the user, then the password, each base64 on a line of its own.
          if (authLogin === '') {
            authLogin = Buffer.from(line, 'base64').toString();
            reply('334 UGFzc3dvcmQ6');
          } else {
            login(authLogin, Buffer.from(line, 'base64').toString());
            authLogin = null;
          }
          continue;
        }
        if (verb === 'EHLO' && (opts.login || opts.tls)) {
          const offers = [
            ...(opts.tls && !encrypted ? ['STARTTLS'] : []),
            ...(opts.login && (encrypted || !opts.tls) ? ['AUTH PLAIN LOGIN'] : []),
          ];
          reply(
            ['250-catcher.test', ...offers.map((o) => `250-${o}`), '250 8BITMIME'].join('\r\n'),
          );
          continue;
        }
        if (verb === 'STAR' && opts.tls && !encrypted) {
          reply('220 2.0.0 go ahead');
          plain.removeListener('data', onData);
          const secure = new TLSSocket(plain, {
            isServer: true,
            cert: opts.tls.cert,
            key: opts.tls.key,
          });
          secure.on('error', () => undefined);
          secure.on('data', onData);
          socket = secure;
          buffer = '';
          current = fresh();
          continue;
        }
        if (verb === 'AUTH' && opts.login) {
          const [, mech, initial] = line.split(' ');
          if (mech?.toUpperCase() === 'PLAIN' && initial) {
            const [, name = '', password = ''] = Buffer.from(initial, 'base64')
              .toString()
              .split('\0');
            login(name, password);
          } else if (mech?.toUpperCase() === 'LOGIN') {
            authLogin = '';
            reply('334 VXNlcm5hbWU6');
          } else reply('504 5.5.4 mechanism not offered');
          continue;
        }
        if (verb === 'MAIL' && opts.login && !user) {
          reply('530 5.7.0 authentication required');
          continue;
        }
        if (verb === 'EHLO' || verb === 'HELO') reply('250 catcher.test');
        else if (verb === 'MAIL') current.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
        else if (verb === 'RCPT') current.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
        if (verb === 'MAIL' || verb === 'RCPT' || verb === 'RSET' || verb === 'NOOP') {
          if (verb === 'RSET') current = fresh();
          reply('250 2.0.0 ok');
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 go on');
        } else if (verb === 'QUIT') {
          reply('221 bye');
          socket.end();
        } else if (verb !== 'EHLO' && verb !== 'HELO') {
          reply('502 5.5.2 not here');
        }
      }
    };
    reply('220 catcher.test ESMTP');
    plain.on('data', onData);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    messages,
    logins,
    async waitFor(match, ms = 20_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = messages.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching message in ${ms} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
