import { expect } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs). */
  json: any;
}

export type RunOptions = {
  stdin?: string;
  tty?: boolean;
  /** Answers typed at hidden prompts, in order (a terminal run without --password-stdin). */
  prompts?: string[];
  stdoutTTY?: boolean;
  env?: Record<string, string>;
};

/** Runs the whole program in-process with fake streams against `env`'s database. */
export async function runWith(
  env: Record<string, string>,
  args: string[],
  opts: RunOptions = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  let stdinReads = 0;
  const prompts = [...(opts.prompts ?? [])];
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: async () => {
      stdinReads += 1;
      return opts.stdin ?? '';
    },
    stdinIsTTY: opts.tty ?? false,
    promptSecret: async (question) => {
      stderr += question;
      const answer = prompts.shift();
      if (answer === undefined) throw new Error(`unexpected prompt: ${question}`);
      return answer;
    },
    stdoutIsTTY: opts.stdoutTTY ?? false,
    env: { ...env, ...opts.env },
    username: () => 'tester',
  };
  const code = await runCli(io, args);
  expect(stdinReads).toBeLessThanOrEqual(1);
  let json: unknown;
  try {
    json = stdout.trim() ? JSON.parse(stdout) : undefined;
  } catch {
    json = undefined;
  }
  return { code, stdout, stderr, json };
}
