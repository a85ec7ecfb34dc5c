// Folders form layers: none imports a folder that imports it back, directly or round about.
// The composition root (worker/index.ts, app.ts, issuer.ts, scheduled.ts) wires every layer
// together and every layer names its `Issuer` type, so it is left out of this graph; what it may
// import is checked by the rules in .dependency-cruiser.cjs.
const base = require('./.dependency-cruiser.cjs')

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycle',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    ...base.options,
    exclude: { path: `${base.options.exclude.path}|^worker/(index|app|issuer|scheduled)\\.ts$` },
  },
}
