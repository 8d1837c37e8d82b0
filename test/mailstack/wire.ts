import { connect, type Socket } from 'node:net';

/**
 * Minimal SMTP and IMAP clients over node:net, enough for the end-to-end tests to speak to the
 * private servers. (nodemailer and imapflow would do this better; they are not dependencies yet.)
 */
class Lines {
  private buffer = '';
  private waiting: (() => void) | null = null;
  private closed: Error | null = null;
  transcript = '';

  constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.transcript += `S: ${chunk}`;
      this.waiting?.();
    });
    const end = (error?: Error) => {
      this.closed = error ?? new Error('connection closed');
      this.waiting?.();
    };
    socket.on('error', end);
    socket.on('close', () => end());
  }

  /** Waits until `complete` finds the end of a reply in the buffer, and takes that reply. */
  async take(complete: (buffer: string) => number, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = complete(this.buffer);
      if (end >= 0) {
        const reply = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end);
        return reply;
      }
      if (this.closed) throw new Error(`${this.closed.message}; transcript:\n${this.transcript}`);
      if (Date.now() > deadline) throw new Error(`no reply; transcript:\n${this.transcript}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiting = null;
    }
  }

  write(text: string): void {
    this.transcript += `C: ${text}`;
    this.socket.write(text);
  }
}

const opened = (host: string, port: number): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });

/** A complete SMTP reply: lines up to the first `NNN ` (not `NNN-`) line. */
const smtpReplyEnd = (buffer: string): number => {
  const match = /^\d{3} [^\n]*\n/m.exec(buffer);
  return match ? match.index + match[0].length : -1;
};

export interface SmtpClient {
  greeting: string;
  /** Sends one command line and returns the reply, e.g. `250 2.1.0 Ok`. */
  command(line: string): Promise<string>;
  /** DATA with the message (dot-stuffed here), returns the reply to the final dot. */
  data(message: string): Promise<string>;
  close(): Promise<void>;
}

export async function smtp(host: string, port: number): Promise<SmtpClient> {
  const lines = new Lines(await opened(host, port));
  const greeting = await lines.take(smtpReplyEnd);
  const command = async (line: string) => {
    lines.write(`${line}\r\n`);
    return (await lines.take(smtpReplyEnd)).trimEnd();
  };
  return {
    greeting,
    command,
    async data(message) {
      const go = await command('DATA');
      if (!go.startsWith('354')) return go;
      const body = message
        .replace(/\r?\n/g, '\r\n')
        .split('\r\n')
        .map((l) => (l.startsWith('.') ? `.${l}` : l))
        .join('\r\n');
      return command(`${body}\r\n.`);
    },
    async close() {
      await command('QUIT').catch(() => undefined);
      lines.socket.destroy();
    },
  };
}

export interface ImapClient {
  greeting: string;
  /** Sends a tagged command; returns everything up to and including the tagged status line. */
  command(text: string): Promise<{ status: string; untagged: string }>;
  close(): void;
}

export async function imap(host: string, port: number): Promise<ImapClient> {
  const lines = new Lines(await opened(host, port));
  const greeting = await lines.take((b) => (b.includes('\r\n') ? b.indexOf('\r\n') + 2 : -1));
  let n = 0;
  return {
    greeting,
    async command(text) {
      const tag = `a${++n}`;
      lines.write(`${tag} ${text}\r\n`);
      const reply = await lines.take((b) => {
        const match = new RegExp(`^${tag} [^\\r\\n]*\\r\\n`, 'm').exec(b);
        return match ? match.index + match[0].length : -1;
      });
      const at = reply.lastIndexOf(`${tag} `);
      return { status: reply.slice(at).trimEnd(), untagged: reply.slice(0, at) };
    },
    close() {
      lines.socket.destroy();
    },
  };
}

/** A quoted IMAP string (the generated passwords have no quotes or backslashes, but still). */
export const imapQuote = (s: string): string => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
