// ESM consumer of the packed packages, as a stranger would write it from the READMEs: the fake
// CHAOS server from @aaisp/chaos-mock, the SDK against it, the collectors into a prom-client
// Registry of our own through the @aaisp/collectors/prom-client subpath. Exact values come from the mock's default line set (the same values as its
// fixture broadband-info-all-lines.json) and its deterministic CQM at a fixed clock. Any mismatch
// exits non-zero with the expected and actual values.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createChaosClient, fetchCqm, isChaosError, parseLondonWallTime } from '@aaisp/chaos-client';
import { DEFAULT_CREDENTIALS, startChaosMock } from '@aaisp/chaos-mock';
import * as collectorsRoot from '@aaisp/collectors';
import {
  broadbandLines,
  broadbandServices,
  cqmLines,
  emptyCqmLineState,
  emptySyncChangeState,
  renderExposition,
  telephonyRatecard,
  trackCqm,
  trackSyncChanges,
} from '@aaisp/collectors';
import { createPromAdapter } from '@aaisp/collectors/prom-client';
import { Registry } from 'prom-client';

const failures = [];
function check(what, actual, expected) {
  if (Object.is(actual, expected)) return;
  failures.push(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

// Every package must resolve to its built dist/ inside this project (not src/, not the workspace).
for (const name of [
  '@aaisp/chaos-client',
  '@aaisp/chaos-mock',
  '@aaisp/collectors',
  '@aaisp/collectors/prom-client',
  'prom-client',
]) {
  const file = realpathSync(fileURLToPath(import.meta.resolve(name)));
  if (!file.startsWith(`${realpathSync(process.cwd())}/node_modules/`) || /\/src\/|\.ts$/.test(file)) {
    failures.push(`${name} resolves to ${file}, outside this project's node_modules or to TypeScript source`);
  }
}

// The adapter is the subpath's alone: the root entry, which never loads prom-client, lacks it.
check(
  '@aaisp/collectors/prom-client resolves to dist/prom-client.js',
  /\/dist\/prom-client\.js$/.test(fileURLToPath(import.meta.resolve('@aaisp/collectors/prom-client'))),
  true,
);
check("@aaisp/collectors' root has no createPromAdapter", 'createPromAdapter' in collectorsRoot, false);

// The fake CQM's clock: fixed, so its rows (and so the gauges and counters) are exact.
const T0 = Date.parse('2026-01-15T12:00:30Z');
let now = T0;
const mock = await startChaosMock({ cqm: { now: () => now } });
try {
  const auth = {
    controlLogin: DEFAULT_CREDENTIALS.controlLogin,
    controlPassword: DEFAULT_CREDENTIALS.controlPassword,
  };
  const client = createChaosClient({ baseUrl: mock.url, auth, retry: 0 });

  // SDK: parsed, typed models.
  const info = await client.broadband.info();
  check(
    'broadband.info line IDs',
    info.lines.map((line) => line.id).join(','),
    '32001,32002,32003,32004,32005,32006,32007',
  );
  const l32002 = info.lines.find((line) => line.id === '32002');
  check('32002 syncDownBps', l32002?.syncDownBps, 79987000);
  check('32002 quota.monthlyBytes', l32002?.quota?.monthlyBytes, 200000000000);
  check('32002 quota.remainingBytes', l32002?.quota?.remainingBytes, 231845120448);
  check('32002 quota.updatedAt (BST)', l32002?.quota?.updatedAt?.toISOString(), '2026-07-14T16:00:00.000Z');
  check('32004 quota (no quota keys)', info.lines.find((line) => line.id === '32004')?.quota, undefined);
  check(
    '32007 syncDownBps (no tx_rate)',
    info.lines.find((line) => line.id === '32007')?.syncDownBps,
    undefined,
  );
  check(
    'parseLondonWallTime GMT',
    parseLondonWallTime('2026-01-20 08:00:00')?.toISOString(),
    '2026-01-20T08:00:00.000Z',
  );
  const services = await client.broadband.services();
  check('broadband.services', services.length, 7);
  const ratecard = await client.telephony.ratecard();

  // A wrong password is a ChaosError of kind auth, and the password is in no message.
  const wrong = createChaosClient({
    baseUrl: mock.url,
    auth: { ...auth, controlPassword: 'wrong-password' },
    retry: 0,
  });
  const refused = await wrong.broadband.info().then(
    () => undefined,
    (error) => error,
  );
  check('wrong password: isChaosError', isChaosError(refused), true);
  check('wrong password: kind', refused?.kind, 'auth');
  check('wrong password: not in the message', String(refused?.message).includes('wrong-password'), false);

  // CQM: two fetches 1000 s apart. The first marks the newest sample seen (counters 0); the second
  // counts the 10 samples of 100 s published since. 32002 is the mock's lossy line (20 % fail).
  const cqmIds = ['32001', '32002'];
  let cqmStates = new Map(cqmIds.map((id) => [id, emptyCqmLineState()]));
  for (const fetchedAt of [T0, T0 + 1_000_000]) {
    now = fetchedAt;
    const next = new Map();
    for (const id of cqmIds)
      next.set(
        id,
        trackCqm(cqmStates.get(id), await fetchCqm(mock.cqmUrl(id), { retry: { limit: 0 } }), fetchedAt),
      );
    cqmStates = next;
  }
  const cqmInput = [...cqmStates].map(([lineId, state]) => ({ lineId, state }));

  // Collectors into our own prom-client Registry, through the adapter.
  const registry = new Registry();
  const adapter = createPromAdapter(registry);
  const snapshots = [
    {
      collector: broadbandLines,
      samples: broadbandLines.collect(info, { syncChanges: trackSyncChanges(emptySyncChangeState(), info) }),
    },
    { collector: broadbandServices, samples: broadbandServices.collect(services, {}) },
    { collector: telephonyRatecard, samples: telephonyRatecard.collect(ratecard, {}) },
    { collector: cqmLines, samples: cqmLines.collect(cqmInput, {}) },
  ];
  for (const { collector, samples } of snapshots) adapter.apply(collector, samples);
  const exposition = await registry.metrics();
  console.log(exposition);

  const values = new Map();
  for (const line of exposition.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  const expected = {
    aaisp_broadband_lines: 7,
    aaisp_broadband_services: 7,
    'aaisp_broadband_sync_download_bits_per_second{line_id="32001"}': 1000000000,
    'aaisp_broadband_sync_upload_bits_per_second{line_id="32002"}': 19999000,
    'aaisp_broadband_sync_download_adjusted_bits_per_second{line_id="32007"}': 944955500,
    'aaisp_broadband_quota_limited{line_id="32001"}': 0,
    'aaisp_broadband_quota_limited{line_id="32002"}': 1,
    'aaisp_broadband_quota_total_bytes{line_id="32002"}': 200000000000,
    'aaisp_broadband_quota_remaining_bytes{line_id="32002"}': 231845120448,
    'aaisp_broadband_quota_used_bytes{line_id="32002"}': -31845120448,
    'aaisp_broadband_quota_remaining_bytes{line_id="32003"}': 61234567890,
    'aaisp_broadband_quota_remaining_bytes{line_id="32007"}': 18881390851534,
    'aaisp_broadband_quota_updated_timestamp_seconds{line_id="32002"}': 1784044800,
    'aaisp_broadband_sync_changes_total{line_id="32001"}': 0,
    'aaisp_telephony_rate_pence_per_minute{rate="UK mobile",period="peak"}': 3,
    'aaisp_telephony_rate_pence_per_minute{rate="UK",period="offpeak"}': 0.5,
    aaisp_telephony_ratecard_prefixes: 4,
    'aaisp_cqm_loss_ratio{line_id="32001"}': 0,
    'aaisp_cqm_loss_ratio{line_id="32002"}': 0.2,
    'aaisp_cqm_sample_timestamp_seconds{line_id="32002"}': 1768479300, // 2026-01-15 12:15:00 UTC
    'aaisp_cqm_sample_period_seconds{line_id="32002"}': 100,
    'aaisp_cqm_samples_total{line_id="32002"}': 10,
    'aaisp_cqm_polls_sent_total{line_id="32002"}': 1000,
    'aaisp_cqm_polls_failed_total{line_id="32002"}': 200,
    'aaisp_cqm_polls_failed_total{line_id="32001"}': 0,
    'aaisp_cqm_offline_seconds_total{line_id="32002"}': 0,
  };
  for (const [series, value] of Object.entries(expected)) check(series, values.get(series), value);
  // Missing data is missing, never a fake 0.
  for (const series of [
    'aaisp_broadband_sync_download_bits_per_second{line_id="32007"}',
    'aaisp_broadband_quota_total_bytes{line_id="32001"}',
    'aaisp_broadband_quota_total_bytes{line_id="32004"}',
  ])
    check(`${series} (absent)`, values.get(series), undefined);
  check('the exposition holds no password', exposition.includes(DEFAULT_CREDENTIALS.controlPassword), false);

  // renderExposition's text is documented as byte for byte prom-client's for the same samples.
  for (const snapshot of snapshots) {
    const own = new Registry();
    createPromAdapter(own).apply(snapshot.collector, snapshot.samples);
    check(
      `renderExposition = prom-client text (${snapshot.collector.name})`,
      renderExposition([snapshot], 'text'),
      await own.metrics(),
    );
  }

  // The client only read, and kept the credentials out of URLs.
  const stats = mock.stats();
  check('mock stats: writes', stats.writes, 0);
  check('mock stats: credentialsInUrl', stats.credentialsInUrl, 0);
} finally {
  await mock.close();
}

if (failures.length > 0) {
  console.error(`consumer.mjs: ${failures.length} check(s) failed:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `consumer.mjs: ok (Node ${process.version}): mock, SDK, collectors and prom-client agree with the fixtures`,
);
