import type { Actor } from '../services/context.js';
import type { Job } from '../services/jobs/support/job-view.js';
import { EXIT, ExitCode } from './errors.js';
import type { CliIo } from './io.js';
import { runJobHere, verb } from './job-commands.js';
import { progressRenderer } from './progress.js';
import type { Session } from './session.js';

/**
 * Runs a just-accepted bulk domain job (verify, publish) here with progress, then prints one
 * line per domain: ✔, or ✘ with the single action's message. Exits 1 when any domain failed.
 */
export async function followDomainJob(
  s: Session,
  io: CliIo,
  actor: Actor,
  accepted: { job: Job; domains: string[] },
): Promise<void> {
  const done = verb(accepted.job);
  if (!s.json) s.out(`Job ${accepted.job.id}: ${accepted.domains.length} domain(s)…`);
  const progress = progressRenderer(s.json ? io.stderr : io.stdout, {
    tty: !s.json && io.stdoutIsTTY === true,
    verb: done,
  });
  const job = await runJobHere(s, actor, accepted.job.id, progress);
  progress.finish(job);
  const failed = new Map(job.errors.map((e) => [e.address, e]));
  if (s.json) s.printJson({ job, domains: accepted.domains });
  else {
    for (const name of accepted.domains) {
      const error = failed.get(name);
      s.out(error ? `✘ ${name}: ${error.message} (${error.code})` : `✔ ${name} ${done}`);
    }
  }
  if (job.failed > 0) throw new ExitCode(EXIT.failure);
}
