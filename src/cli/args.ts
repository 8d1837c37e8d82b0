import { InvalidArgumentError, type Command } from 'commander';
import type { CliIo } from './io.js';

/** Option parser for numbers; which numbers are allowed is the services' call. */
export function numberArg(value: string): number {
  const number = value.trim() === '' ? NaN : Number(value);
  if (Number.isNaN(number)) throw new InvalidArgumentError('Enter a number.');
  return number;
}

/** A repeatable option's values, in the order given. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * `--password-stdin`: the first line of standard input, without its line ending (spaces are
 * kept: they may be part of the password). Refused on a terminal, where it would echo.
 */
export async function readPasswordFromStdin(io: CliIo, cmd: Command): Promise<string> {
  if (io.stdinIsTTY) {
    cmd.error(
      `--password-stdin reads a pipe, e.g. \`printf '%s\\n' "$PASSWORD" | mailwright ${cmd.parent?.name() ?? ''} ${cmd.name()} …\`; or let Mailwright generate one.`,
      { exitCode: 2, code: 'mailwright.usage' },
    );
  }
  const text = await io.readStdin();
  const end = text.indexOf('\n');
  const line = end === -1 ? text : text.slice(0, end);
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Ends the command with exit code 2 and `message` (as text, or invalid_usage with --json). */
export function usageError(cmd: Command, message: string): never {
  cmd.error(`error: ${message}`, { exitCode: 2, code: 'mailwright.usage' });
}
