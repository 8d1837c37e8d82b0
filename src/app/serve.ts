import { loadConfig, type Config } from './config.js';
import { buildApp } from '../http/app.js';
import { bootstrapFirstAccount } from '../services/accounts/bootstrap-first-account.js';
import { JobRunner } from '../services/jobs/job-runner.js';
import { startChallengeListener } from '../certificates/acme-challenges.js';
import { reloadingTls } from '../certificates/tls-contexts.js';
import { startCertificateRenewal } from './certificates.js';
import { openContext } from './open-context.js';

/** Opens the database, brings its schema up to date and serves the API until a signal. */
export async function serve(config: Config = loadConfig()): Promise<void> {
  const { ctx, close } = await openContext(config);
  const app = await buildApp(ctx, {
    logger: { level: config.logLevel },
    edge: config.edge,
    ...(config.tls ? { https: reloadingTls(config.dataDir, config.tls) } : {}),
  });
  const runner = new JobRunner(ctx, { log: (message, err) => app.log.error({ err }, message) });
  ctx.onJobQueued = () => runner.wake();
  // Picks up jobs left by a previous process (a crash, kill -9) as soon as their lease expires.
  runner.start();

  const first = await bootstrapFirstAccount(ctx);
  const address = await app.listen({ host: config.listen.host, port: config.listen.port });
  // Port 80 answers ACME challenges; only then can certificates be renewed here.
  const challenges = config.httpListen
    ? await startChallengeListener(config.dataDir, config.httpListen)
    : null;
  const renewal = challenges ? startCertificateRenewal(ctx, config, app.log) : null;
  // Plain stdout, not the log: the token must reach the person who started the server and
  // nothing that ships logs elsewhere. One write, so the banner arrives whole.
  const firstStart = first
    ? `\nFirst start: created account "${first.account}" with this API token (shown once, keep it):\n\n  ${first.token}\n\n` +
      `Try: curl -H "Authorization: Bearer ${first.token}" ${address}/v1/domains\n`
    : '';
  process.stdout.write(
    `\nMailwright is listening on ${address} (database: ${ctx.store.dialect})\n` +
      firstStart +
      `Web console: ${address}/ (add an operator: npx mailwright user create --account ${first?.account ?? 'NAME'} --email you@example.com)\n` +
      `API reference: ${address}/openapi.json\n\n`,
  );

  const stop = async () => {
    renewal?.stop();
    await challenges?.close();
    await app.close();
    await runner.stop();
    await close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
