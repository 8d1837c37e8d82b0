// The layer rules of ARCHITECTURE.md ("Layers"), checked by `npm run lint` (`depcruise src web/src`).
// Type-only imports count: a type that crosses a layer upward still ties the layers together.
import { builtinModules } from 'node:module';

/** Node's own modules, as the checker names them once resolved (`node:crypto` is `crypto`). */
const NODE_MODULES = `^(${builtinModules.map((m) => m.replace(/[/.]/g, '\\$&')).join('|')})$`;

/** A rule that lets the files under src/`folder` import only the `allowed` layers of src/. */
const layer = (name, folder, allowed, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: `^src/${folder}/` },
  to: { path: '^src/', pathNot: `^src/(${[folder, ...allowed].join('|')})/` },
});

export default {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle, type-only ones included: move the shared part to its own module.',
      severity: 'error',
      from: { path: '^(src|web/src)/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import the checker cannot follow would escape every other rule.',
      severity: 'error',
      from: { path: '^(src|web/src)/' },
      to: { couldNotResolve: true },
    },
    layer('core-imports-only-core', 'core', [], 'core holds pure rules: nothing of ours above it.'),
    layer('store-imports-core', 'store', ['core'], 'store holds SQL; it sees only core.'),
    layer('dns-imports-core', 'dns', ['core'], 'dns looks up and publishes; it sees only core.'),
    layer(
      'services-import-core-store-dns',
      'services',
      ['core', 'store', 'dns'],
      'Use cases reach the mail plane, configuration and adapters only through the ServiceContext the composition root (src/app) builds.',
    ),
    layer(
      'mailstack-imports-core-store',
      'mailstack',
      ['core', 'store'],
      'The mail plane renders and runs the mail servers; it sees core and the store’s types.',
    ),
    {
      name: 'mailstack-imports-store-types-only',
      comment: 'The mail servers read the database through its views, not through store queries.',
      severity: 'error',
      from: { path: '^src/mailstack/' },
      to: { path: '^src/store/', dependencyTypesNot: ['type-only'] },
    },
    layer(
      'certificates-imports-core',
      'certificates',
      ['core'],
      'The ACME client, certificate store and TLS contexts: files and the CA, nothing of the services.',
    ),
    layer(
      'http-imports-services-app-core',
      'http',
      ['services', 'app', 'core'],
      'Routes call use cases; what they need wired comes from the composition root.',
    ),
    layer(
      'cli-imports-services-app-core',
      'cli',
      ['services', 'app', 'core'],
      'Commands call use cases; what they need wired comes from the composition root.',
    ),
    {
      name: 'app-imports-no-cli',
      comment: 'The composition root sits below the CLI that uses it.',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'web-imports-only-pure-core',
      comment: 'The console reaches the server through the REST API; it may share core rules.',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'web-reaches-no-node-module',
      comment: 'A core module the console imports must not use Node (node:crypto, node:fs…).',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { path: NODE_MODULES, reachable: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.json'],
    },
  },
};
