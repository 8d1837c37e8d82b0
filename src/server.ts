import { serve } from './app/serve.js';

/**
 * The API server's entry (`node dist/server.js`): it starts whenever it runs, so nothing decides
 * whether this is the main module. Comparing `import.meta.url` with `process.argv[1]` did, and
 * through a symlinked install directory (`/opt/mailwright` -> a release) the two differ (Node
 * resolves the real path, argv keeps the link): the process exited 0 without a word. `serve`
 * lives in app/serve.ts, which `mailwright serve` imports too.
 */
serve().catch((error: unknown) => {
  process.stderr.write(`mailwright: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
