import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobs } from '../bulk/bulk-support.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';

const run = promisify(execFile);

/**
 * The curl commands of README.md's "A tour of the API", as written, up to the mail plane (which
 * needs root and Postfix). Continuation lines are joined while a quote is open.
 */
function tourCommands(): { setup: string; commands: string[] } {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const tour = readme.slice(
    readme.indexOf('## A tour of the API'),
    readme.indexOf('### The mail plane'),
  );
  const blocks = [...tour.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const setup = blocks[0]!.split('\n').find((line) => line.startsWith('auth=('))!;
  const commands: string[] = [];
  let pending = '';
  for (const line of blocks.slice(1).join('\n').split('\n')) {
    if (!pending && !line.startsWith('curl ')) continue;
    pending = pending ? `${pending}\n${line}` : line;
    if ((pending.match(/'/g) ?? []).length % 2 === 0) {
      commands.push(pending);
      pending = '';
    }
  }
  return { setup, commands };
}

/** What the README itself says a command answers when that is not a success. */
const EXPECTED_FAILURES: [RegExp, number][] = [
  [/https:\/\/www\.example\.com/, 422], // the example of an error
  [/dns\/publish/, 409], // "with MAILWRIGHT_DNS_PROVIDER set": none is here
];

function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

for (const dialect of DIALECTS) {
  describe(`README's API tour with curl on ${dialect}`, () => {
    let h: Harness;
    let mw: string;
    const dir = mkdtempSync(join(tmpdir(), 'mailwright-tour-'));
    beforeAll(async () => {
      h = await startHarness(dialect);
      await h.app.listen({ host: '127.0.0.1', port: 0 });
      mw = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
      writeFileSync(
        join(dir, 'people.csv'),
        'name,local_part,domain\nPeter Olsen,peter,sales.example.com\n',
      );
    });
    afterAll(() => h.close());

    it('answers every command as the README says', async () => {
      const { setup, commands } = tourCommands();
      expect(commands.length).toBeGreaterThan(25);
      const answers: string[] = [];
      let jobId = '';
      for (const command of commands) {
        // The status follows the body on a line of its own; the command itself is the README's.
        const script = `${setup}\ncurl() { command curl -w '\\n%{http_code}' "$@"; }\n${command.replaceAll('JOB_ID', jobId)}`;
        const { stdout } = await run('bash', ['-c', script], {
          cwd: dir,
          env: { ...process.env, MW: mw, TOKEN: h.alice.token },
        });
        const status = Number(stdout.slice(stdout.lastIndexOf('\n') + 1));
        const body = stdout.slice(0, stdout.lastIndexOf('\n'));
        const json = parseJson(body);
        // Publishing the ownership record is the reader's part; here the test DNS server does it.
        if (json?.verification?.host && json.status === 'pending') {
          h.dns.setTxt(json.verification.host, [json.verification.value]);
        }
        if (json?.job?.id && !jobId) jobId = json.job.id;
        const expected = EXPECTED_FAILURES.find(([pattern]) => pattern.test(command))?.[1];
        const ok = expected ? status === expected : status >= 200 && status < 300;
        answers.push(`${ok ? 'ok ' : 'BAD'} ${status} ${command.split('\n')[0]} ${ok ? '' : body}`);
        // The server's job runner does this in the background; the tour reads the results.
        if (json?.job) await runJobs(h);
      }
      expect(answers.filter((a) => a.startsWith('BAD'))).toEqual([]);
    });
  });
}
