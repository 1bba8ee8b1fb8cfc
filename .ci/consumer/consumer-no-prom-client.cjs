'use strict';
// CommonJS consumer of @aaisp/collectors' root entry without prom-client installed: require(esm)
// of the root must work and map a line; requiring the ./prom-client subpath must fail on
// prom-client alone.
const assert = require('node:assert/strict');

assert.throws(() => require.resolve('prom-client'), { code: 'MODULE_NOT_FOUND' });

let collectors;
try {
  collectors = require('@aaisp/collectors');
} catch (error) {
  console.error(
    `consumer-no-prom-client.cjs: require('@aaisp/collectors') failed on Node ${process.version}: ${error.code ?? ''} ${error.message}`,
  );
  process.exit(1);
}
assert.equal('createPromAdapter' in collectors, false, 'the root entry exports createPromAdapter');
assert.match(require.resolve('@aaisp/collectors'), /\/node_modules\/@aaisp\/collectors\/dist\/index\.js$/);

const info = {
  lines: [{ id: '32001', login: 'test@a.1', raw: {}, syncDownBps: 80_000_000 }],
  serviceChoices: [],
  skipped: [],
};
const text = collectors.renderExposition(
  [{ collector: collectors.broadbandLines, samples: collectors.broadbandLines.collect(info, {}) }],
  'text',
);
assert.match(text, /^aaisp_broadband_sync_download_bits_per_second\{line_id="32001"\} 80000000$/m);
assert.match(text, /^aaisp_broadband_lines 1$/m);

assert.throws(
  () => require('@aaisp/collectors/prom-client'),
  (error) => /prom-client/.test(error.message) && /MODULE_NOT_FOUND/.test(String(error.code)),
);

console.log(
  `consumer-no-prom-client.cjs: ok (Node ${process.version}): require() of the root without prom-client`,
);
