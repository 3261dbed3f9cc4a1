// The layer order of worker/, low → high: a module may import from its own layer or lower ones, never higher.
// `npm test` runs `depcruise` with this file (npm run lint:layers); test/architecture/layer-order.test.ts proves
// it refuses a violating import.

/** Each layer: a name and the paths (regular expressions from the repository root) it holds. */
export const LAYERS = [
  // The shared kernel: money, calendar, regimes, scope, and the top-level files every layer may read.
  ['kernel', ['^worker/kernel/', '^worker/(errors|clock|config|env|input-rules)\\.ts$']],
  // The store, the raw-batch lake beside it, the alert table's door (it needs only the store, and alerts
  // are raised from usage upwards) and the job runner (it needs only the store's leases; the host hands it the
  // job bodies).
  ['db', ['^worker/(db|lake|alerts|jobs)/']],
  ['domain', ['^worker/(tenancy|auth|pricing|forecast)/']],
  ['units', ['^worker/(usage|ingest)/']],
  ['ledger', ['^worker/ledger/']],
  ['money', ['^worker/(funding|gate|runway)/']],
  // The continuous intake derives through the one webhook ingest and the recompute, so it sits with billing.
  ['billing', ['^worker/(billing|intake)/']],
  ['demo', ['^worker/demo/']],
  // app-deps.ts: what the HTTP API receives from its host, bundling the types of every layer below.
  // The ingest-writer election replays the lake as the rebuild does (cli/replay-lake.ts).
  ['edge', ['^worker/(routes|http|cli|exports|sql|openapi|election)/', '^worker/app-deps\\.ts$']],
  [
    'host',
    [
      '^worker/(app|app-services|node|cloudflare|node-host|node-temp-files|listen-check|keep-alive|serve-widget-assets|startup)\\.ts$',
    ],
  ],
];

const paths = (i) => LAYERS[i][1];
const higher = (i) => LAYERS.slice(i + 1).flatMap(([, p]) => p);

const layerRules = LAYERS.slice(0, -1).map(([name], i) => ({
  name: `${name}-imports-no-higher-layer`,
  comment: `${name} may import only from ${LAYERS.slice(0, i + 1)
    .map(([n]) => n)
    .join(', ')}`,
  severity: 'error',
  from: { path: paths(i) },
  to: { path: higher(i) },
}));

export default {
  forbidden: [
    ...layerRules,
    {
      name: 'worker-module-in-a-layer',
      comment: 'every module under worker/ belongs to a layer (add a new folder to LAYERS)',
      severity: 'error',
      from: { path: '^worker/', pathNot: LAYERS.flatMap(([, p]) => p) },
      to: {},
    },
    {
      name: 'widgets-import-only-the-kernel',
      comment: 'the browser bundle may share the kernel (money) with the service, nothing else of worker/',
      severity: 'error',
      from: { path: '^widgets/src/' },
      to: { path: '^worker/', pathNot: paths(0) },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|widgets/dist)/' },
    // Type-only imports count: a type from a higher layer ties the lower one to it all the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
