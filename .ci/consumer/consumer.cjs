'use strict';
// CommonJS consumer: the packages are ESM only, and Node >= 22.12 (and 24) can require() an ES
// module graph without top-level await (require(esm)). A failure here is reported with Node's
// error code (ERR_REQUIRE_ASYNC_MODULE means a module in the graph uses top-level await), never
// hidden.
const assert = require('node:assert/strict');

function load(name) {
  try {
    return require(name);
  } catch (error) {
    console.error(
      `consumer.cjs: require('${name}') failed on Node ${process.version}: ${error.code ?? ''} ${error.message}`,
    );
    process.exit(1);
  }
}

const sdk = load('@aaisp/chaos-client');
const collectors = load('@aaisp/collectors');
const promAdapter = load('@aaisp/collectors/prom-client');
const { Registry } = load('prom-client');
const mock = load('@aaisp/chaos-mock');

for (const [pkg, mod, names] of [
  [
    '@aaisp/chaos-client',
    sdk,
    [
      'createChaosClient',
      'isChaosError',
      'fetchCqm',
      'parseCqmCsv',
      'maskCqmUrl',
      'parseLondonWallTime',
      'ChaosError',
    ],
  ],
  [
    '@aaisp/collectors',
    collectors,
    ['renderExposition', 'trackCqm', 'emptyCqmLineState', 'trackSyncChanges'],
  ],
  ['@aaisp/collectors/prom-client', promAdapter, ['createPromAdapter']],
  ['@aaisp/chaos-mock', mock, ['startChaosMock', 'generateLines']],
]) {
  for (const name of names)
    assert.equal(typeof mod[name], 'function', `${pkg} export ${name} is ${typeof mod[name]}`);
}
assert.equal(
  typeof collectors.broadbandLines.collect,
  'function',
  '@aaisp/collectors broadbandLines.collect',
);
assert.equal(sdk.DEFAULT_BASE_URL, 'https://chaos2.aa.net.uk/');
// The adapter moved to the ./prom-client subpath; the root entry no longer has it.
assert.equal('createPromAdapter' in collectors, false, '@aaisp/collectors (root) exports createPromAdapter');

// A little real work through the required modules, no network.
assert.equal(sdk.parseLondonWallTime('2026-07-14 17:00:00')?.toISOString(), '2026-07-14T16:00:00.000Z');
assert.equal(
  sdk.maskCqmUrl('https://control.aa.net.uk/cqmdirect.cgi/Ab12Cd34Ef56Gh78/home.csv'),
  'control.aa.net.uk/cqmdirect.cgi/…/home.csv',
);
assert.throws(
  () => sdk.createChaosClient({ auth: { controlLogin: 'ab123@a', controlPassword: '' } }),
  TypeError,
);
assert.equal(mock.generateLines(3).length, 3);
// The required adapter writes to a Registry of the required prom-client (the consumer's one copy).
const registry = new Registry();
promAdapter
  .createPromAdapter(registry)
  .apply(collectors.broadbandServices, collectors.broadbandServices.collect(['a', 'b', 'c'], {}));

// CommonJS resolution (the "default" condition) reaches the built dist/, not TypeScript source.
for (const name of ['@aaisp/chaos-client', '@aaisp/collectors', '@aaisp/chaos-mock']) {
  const file = require.resolve(name);
  assert.match(file, /\/node_modules\/@aaisp\/[^/]+\/dist\/index\.js$/, `${name} resolves to ${file}`);
}
assert.match(
  require.resolve('@aaisp/collectors/prom-client'),
  /\/node_modules\/@aaisp\/collectors\/dist\/prom-client\.js$/,
);

registry.getSingleMetricAsString('aaisp_broadband_services').then(
  (text) => {
    assert.match(text, /^aaisp_broadband_services 3$/m);
    console.log(
      `consumer.cjs: ok (Node ${process.version}): require() of the SDK, collectors (root and ./prom-client) and mock`,
    );
  },
  (error) => {
    console.error(`consumer.cjs: the required adapter's registry failed: ${error.stack ?? error}`);
    process.exit(1);
  },
);
