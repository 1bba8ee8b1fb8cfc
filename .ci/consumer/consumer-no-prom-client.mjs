// ESM consumer of @aaisp/collectors' root entry in a project that does not install prom-client
// (an optional peer dependency, needed only by the @aaisp/collectors/prom-client subpath): the
// root must load, map a broadband/info answer and render it exactly, and the subpath must fail
// with prom-client's own "not found". Any mismatch exits non-zero.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as root from '@aaisp/collectors';
import {
  assembleExposition,
  broadbandLines,
  emptySyncChangeState,
  renderExposition,
  renderSeries,
  trackSyncChanges,
} from '@aaisp/collectors';

// prom-client is really not there: neither resolver finds it.
assert.throws(() => createRequire(import.meta.url).resolve('prom-client'), { code: 'MODULE_NOT_FOUND' });
await assert.rejects(import('prom-client'), { code: 'ERR_MODULE_NOT_FOUND' });
assert.equal('createPromAdapter' in root, false, 'the root entry exports createPromAdapter');

// A broadband/info answer as @aaisp/chaos-client parses it: one limited line, one without tx_rate.
const info = {
  lines: [
    {
      id: '32001',
      login: 'test@a.1',
      raw: {},
      syncDownBps: 80_000_000,
      syncUpBps: 20_000_000,
      quota: { monthlyBytes: 100_000_000_000, remainingBytes: 25_000_000_000 },
    },
    { id: '32002', login: 'test@a.2', raw: {}, syncUpBps: 1_000_000 },
  ],
  serviceChoices: [],
  skipped: [],
};
const samples = broadbandLines.collect(info, { syncChanges: trackSyncChanges(emptySyncChangeState(), info) });
const snapshot = { collector: broadbandLines, samples };
const text = renderExposition([snapshot], 'text');
assert.deepEqual(
  text.split('\n').filter((line) => line !== '' && !line.startsWith('#')),
  [
    'aaisp_broadband_line_info{line_id="32001",login="test@a.1",name=""} 1',
    'aaisp_broadband_line_info{line_id="32002",login="test@a.2",name=""} 1',
    'aaisp_broadband_sync_download_bits_per_second{line_id="32001"} 80000000',
    'aaisp_broadband_sync_upload_bits_per_second{line_id="32001"} 20000000',
    'aaisp_broadband_sync_upload_bits_per_second{line_id="32002"} 1000000',
    'aaisp_broadband_quota_limited{line_id="32001"} 1',
    'aaisp_broadband_quota_limited{line_id="32002"} 0',
    'aaisp_broadband_quota_total_bytes{line_id="32001"} 100000000000',
    'aaisp_broadband_quota_remaining_bytes{line_id="32001"} 25000000000',
    'aaisp_broadband_quota_used_bytes{line_id="32001"} 75000000000',
    'aaisp_broadband_quota_used_ratio{line_id="32001"} 0.75',
    'aaisp_broadband_sync_changes_total{line_id="32001"} 0',
    'aaisp_broadband_sync_changes_total{line_id="32002"} 0',
    'aaisp_broadband_lines 2',
  ],
);
assert.match(text, /^# TYPE aaisp_broadband_sync_changes_total counter$/m);
// The cached-bytes path gives the same OpenMetrics as the one-shot renderer.
assert.equal(
  Buffer.concat(assembleExposition([renderSeries(snapshot)], 'openmetrics')).toString('utf8'),
  renderExposition([snapshot], 'openmetrics'),
);

// The adapter subpath is the one part that needs prom-client, and says so.
await assert.rejects(import('@aaisp/collectors/prom-client'), (error) => {
  assert.equal(error.code, 'ERR_MODULE_NOT_FOUND');
  assert.match(error.message, /'prom-client'/);
  return true;
});

console.log(
  `consumer-no-prom-client.mjs: ok (Node ${process.version}): the root maps and renders without prom-client; ./prom-client needs it`,
);
