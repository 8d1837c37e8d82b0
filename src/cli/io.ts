import { userInfo } from 'node:os';

/**
 * Everything the CLI touches outside the database, so tests can run the whole program
 * in-process with fake streams and environment.
 */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of standard input, up to end of file. */
  readStdin(): Promise<string>;
  /** True when standard input is a terminal (a person typing), false for a pipe or file. */
  stdinIsTTY: boolean;
  /** True when standard output is a terminal: progress is then one line redrawn in place. */
  stdoutIsTTY?: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** The operating-system user, for the audit log's `cli:<user>`. */
  username(): string;
}

/** The real process's streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    async readStdin() {
      let text = '';
      process.stdin.setEncoding('utf8');
      for await (const chunk of process.stdin) text += chunk as string;
      return text;
    },
    stdinIsTTY: process.stdin.isTTY === true,
    stdoutIsTTY: process.stdout.isTTY === true,
    env: process.env,
    username() {
      try {
        return userInfo().username;
      } catch {
        // No passwd entry (some containers): fall back to what the shell says.
        return process.env.USER || process.env.USERNAME || 'unknown';
      }
    },
  };
}
