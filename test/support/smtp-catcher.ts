import { createServer, type Server, type Socket } from 'node:net';
import { freePort } from './ports.js';

/** One message as the catcher received it: the envelope and the raw data. */
export interface CaughtMessage {
  from: string;
  to: string[];
  data: string;
}

/**
 * The outside world for tests: a loopback SMTP server that accepts every message and keeps it,
 * standing in for other providers' MX (the mail plane's relayhost points here), so nothing a
 * test sends leaves the machine.
 */
export interface SmtpCatcher {
  port: number;
  messages: CaughtMessage[];
  /** Resolves with the first message matching `match`, or rejects after `ms`. */
  waitFor(match: (m: CaughtMessage) => boolean, ms?: number): Promise<CaughtMessage>;
  close(): Promise<void>;
}

export async function startSmtpCatcher(): Promise<SmtpCatcher> {
  const messages: CaughtMessage[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = '';
    let inData = false;
    let current: CaughtMessage = { from: '', to: [], data: '' };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 catcher.test ESMTP');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          current.data = buffer.slice(0, end + 2);
          buffer = buffer.slice(end + 5);
          inData = false;
          messages.push(current);
          current = { from: '', to: [], data: '' };
          reply('250 2.0.0 caught');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') reply('250 catcher.test');
        else if (verb === 'MAIL') current.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
        else if (verb === 'RCPT') current.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
        if (verb === 'MAIL' || verb === 'RCPT' || verb === 'RSET' || verb === 'NOOP') {
          if (verb === 'RSET') current = { from: '', to: [], data: '' };
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
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    messages,
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
