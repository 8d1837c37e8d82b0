import type { Actor } from '../services/context.js';
import type { Job } from '../services/jobs/support/job-view.js';
import { EXIT, ExitCode } from './errors.js';
import type { CliIo } from './io.js';
import { runJobHere, verb } from './job-commands.js';
import { progressRenderer } from './progress.js';
import type { Session } from './session.js';

/**
 * Runs a just-accepted job of one item per name (verify or publish domains, set mailboxes'
 * sending limits) here with progress, then prints one line per name: ✔, or ✘ with the item's
 * message. Exits 1 when any item failed.
 */
export async function followItemJob(
  s: Session,
  io: CliIo,
  actor: Actor,
  accepted: Job,
  items: { key: 'domains' | 'addresses'; names: string[]; noun: string },
): Promise<void> {
  const done = verb(accepted);
  if (!s.json) s.out(`Job ${accepted.id}: ${items.names.length} ${items.noun}…`);
  const progress = progressRenderer(s.json ? io.stderr : io.stdout, {
    tty: !s.json && io.stdoutIsTTY === true,
    verb: done,
  });
  const job = await runJobHere(s, actor, accepted.id, progress);
  progress.finish(job);
  const failed = new Map(job.errors.map((e) => [e.address, e]));
  if (s.json) s.printJson({ job, [items.key]: items.names });
  else {
    for (const name of items.names) {
      const error = failed.get(name);
      s.out(error ? `✘ ${name}: ${error.message} (${error.code})` : `✔ ${name} ${done}`);
    }
  }
  if (job.failed > 0) throw new ExitCode(EXIT.failure);
}

/** A bulk domain job (verify, publish): one line per domain. */
export const followDomainJob = (
  s: Session,
  io: CliIo,
  actor: Actor,
  accepted: { job: Job; domains: string[] },
): Promise<void> =>
  followItemJob(s, io, actor, accepted.job, {
    key: 'domains',
    names: accepted.domains,
    noun: 'domain(s)',
  });
