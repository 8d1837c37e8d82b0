import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export interface ServerProcess {
  proc: ChildProcess;
  url: string;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
}

/** From the sources, as the tests usually run it. */
export const FROM_SOURCES = ['--import', 'tsx', 'src/server.ts'];

/**
 * A release directory as `npm start` builds and runs it (`npm run build`'s tsc step without the
 * type check, which the type-check step does; node_modules linked), with the arguments that
 * start its server.
 */
export async function buildRelease(): Promise<{ root: string; args: string[] }> {
  const root = mkdtempSync(join(tmpdir(), 'mailwright-release-'));
  await promisify(execFile)(process.execPath, [
    resolve('node_modules/typescript/bin/tsc'),
    '-p',
    'tsconfig.json',
    '--noCheck',
    '--outDir',
    join(root, 'dist'),
  ]);
  copyFileSync('package.json', join(root, 'package.json'));
  symlinkSync(resolve('node_modules'), join(root, 'node_modules'));
  return { root, args: [join(root, 'dist', 'server.js')] };
}

/**
 * Starts the real server process on a loopback port and resolves once it printed its banner
 * (which ends with the API reference line); rejects with its output if it exits first.
 */
export function startServerProcess(
  env: Record<string, string>,
  opts: { args?: string[]; cwd?: string } = {},
): Promise<ServerProcess> {
  const proc = spawn(process.execPath, opts.args ?? FROM_SOURCES, {
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    env: { ...process.env, MAILWRIGHT_LISTEN: '127.0.0.1:0', MAILWRIGHT_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 45_000);
    const onData = () => {
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url && output.includes('API reference')) {
        clearTimeout(timer);
        proc.stdout?.off('data', onData);
        resolve({ proc, url, output: () => output });
      }
    };
    proc.stdout?.on('data', onData);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}):\n${output}`));
    });
  });
}

/** SIGKILL, as a crash or the OOM killer would end it; resolves once it has exited. */
export async function kill9(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGKILL');
  await exited;
}
