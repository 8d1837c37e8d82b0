import { userInfo } from 'node:os';
import { ExitCode } from './errors.js';

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
  /**
   * Asks on the terminal for a line that is not echoed (a password); rejects with exit code 130
   * when the person presses Ctrl-C or Ctrl-D instead. Only called when `stdinIsTTY`.
   */
  promptSecret(question: string): Promise<string>;
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
    promptSecret: (question) => promptSecret(process.stdin, process.stderr, question),
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

/**
 * Reads one line from a terminal in raw mode, so nothing typed is echoed; the question goes to
 * standard error, keeping standard output for results (and --json) only.
 */
function promptSecret(
  input: NodeJS.ReadStream,
  output: NodeJS.WriteStream,
  question: string,
): Promise<string> {
  output.write(question);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (outcome: () => void) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      outcome();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish(() => resolve(value));
        // Ctrl-C, Ctrl-D: the conventional exit status of an interrupted command.
        if (char === '\u0003' || char === '\u0004') return finish(() => reject(new ExitCode(130)));
        // Backspace and Delete remove the last character typed (a whole code point).
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else value += char;
      }
    };
    input.on('data', onData);
  });
}
