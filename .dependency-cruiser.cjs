// Boundaries checked in CI (`npm run boundaries`): each rule names what it protects.
// Type-only imports are erased at build time; the rules below that say "at run time" skip them.
const TRANSPORT = '^worker/(app|index)\\.ts$|^worker/(http|trpc|oauth|demo|rpc)/'
const DOMAIN =
  '^worker/(recovery|sessions|legacy|identity|mfa|guard|mail|passwords|tokens|keys|upstream|feed)/'
const REPO = '^(contract|worker|verify|client|db|scripts|bench|test|examples|demo)/'

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'contract-imports-nothing',
      comment: 'contract/ is the shared facts: it imports nothing but itself, not even a package.',
      severity: 'error',
      from: { path: '^contract/' },
      to: { pathNot: '^contract/' },
    },
    {
      name: 'verify-imports-only-contract',
      comment: 'verify/ ships to other workers: of the repo it may import only contract/.',
      severity: 'error',
      from: { path: '^verify/' },
      to: { path: REPO, pathNot: '^(verify|contract)/' },
    },
    {
      name: 'client-imports-only-contract',
      comment: 'client/ ships to apps: at run time it may import only contract/ of the repo.',
      severity: 'error',
      from: { path: '^client/' },
      to: { path: REPO, pathNot: '^(client|contract)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'client-types-only-from-the-router',
      comment: "The client's one link to the issuer is the router's type.",
      severity: 'error',
      from: { path: '^client/' },
      to: { path: '^(worker|verify|db)/', pathNot: '^worker/trpc/app-router\\.ts$' },
    },
    {
      name: 'issuer-not-client',
      comment: 'The issuer never imports its clients, scripts, benchmarks, tests or examples.',
      severity: 'error',
      from: { path: '^(worker|db)/' },
      to: { path: '^(client|scripts|bench|test|examples|demo)/' },
    },
    {
      name: 'demo-is-a-client-app',
      comment: 'The demo page is an app like any other: it uses client/ and contract/ only.',
      severity: 'error',
      from: { path: '^demo/' },
      to: { path: REPO, pathNot: '^(demo|client|contract)/' },
    },
    {
      name: 'examples-use-the-packages',
      comment: 'Examples import rotor/verify and rotor/client as installed, never a repo path.',
      severity: 'error',
      from: { path: '^examples/' },
      to: { path: REPO, pathNot: '^examples/', dependencyTypes: ['local'] },
    },
    {
      name: 'tools-not-tests',
      comment: 'Scripts and the benchmark do not depend on test code.',
      severity: 'error',
      from: { path: '^(scripts|bench)/' },
      to: { path: '^test/' },
    },
    {
      name: 'domain-not-transport',
      comment: 'The domain knows nothing of tRPC routes, HTTP handlers or OAuth endpoints.',
      severity: 'error',
      from: { path: DOMAIN },
      to: { path: TRANSPORT },
    },
    {
      name: 'domain-not-frameworks',
      comment: 'No tRPC or Hono types or calls inside the domain.',
      severity: 'error',
      from: { path: DOMAIN },
      to: { dependencyTypes: ['npm'], path: 'node_modules/(hono|@trpc)/' },
    },
    {
      name: 'domain-not-store-internals',
      comment:
        'The domain reaches storage through the SessionStore, RecoveryStore and MfaStore interfaces only.',
      severity: 'error',
      from: { path: DOMAIN },
      to: { path: '^worker/store/', pathNot: '^worker/store/(session|recovery|mfa)-store\\.ts$' },
    },
    {
      name: 'upstream-is-a-port',
      comment:
        'worker/upstream/ only talks to the password service (lazy migration): of the repo it imports contract/ and worker/config/ alone.',
      severity: 'error',
      from: { path: '^worker/upstream/' },
      to: { path: REPO, pathNot: '^(contract|worker/upstream|worker/config)/' },
    },
    {
      name: 'only-sign-in-asks-the-upstream',
      comment: 'The upstream password service is asked by sign-in alone.',
      severity: 'error',
      from: { path: '^worker/', pathNot: '^worker/(sessions|upstream)/' },
      to: { path: '^worker/upstream/' },
    },
    {
      name: 'store-not-domain',
      comment: 'The store implements the interface; it imports neither the domain nor transport.',
      severity: 'error',
      from: { path: '^worker/store/' },
      to: { path: `${DOMAIN}|${TRANSPORT}` },
    },
    {
      name: 'domain-types-only-from-the-root',
      comment: 'worker/*.ts compose the issuer; the domain may name their types, never call them.',
      severity: 'error',
      from: { path: DOMAIN },
      to: { path: '^worker/[^/]+\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-module-cycle',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // TypeScript 7 has no compiler API yet; swc parses the sources, type-only imports included.
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.wrangler)/' },
  },
}
