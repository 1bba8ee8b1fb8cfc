import type { CqmSample } from '@aaisp/chaos-client';
import { type CqmLineState, emptyCqmLineState, trackCqm } from '@aaisp/collectors';
import { describe, expect, it } from 'vitest';
import { decodeCqmLineState, encodeCqmLineState } from './cqm-memory.ts';

const PERIOD_MS = 100_000;
const T0 = Date.UTC(2026, 0, 20, 12, 0, 0);

/** A sample as parseCqmCsv gives one: a healthy line unless told otherwise. */
function sample(index: number, values: Partial<Omit<CqmSample, 'start'>> = {}): CqmSample {
  return {
    start: new Date(T0 + index * PERIOD_MS),
    periodSeconds: 100,
    pollsSent: 100,
    failedRatio: 0.02,
    latencySeconds: { min: 0.008, avg: 0.0093, max: 0.0121 },
    trafficBitsPerSecond: { down: 51_200, up: 12_800 },
    score: 1,
    ...values,
  };
}

/** Two fetches of a line: the first remembers, the second counts polls, failures, an outage and a missing row. */
function trackedState(): CqmLineState {
  const first = trackCqm(
    emptyCqmLineState(),
    { samples: [sample(0), sample(1), sample(2)] },
    T0 + 3 * PERIOD_MS,
  );
  return trackCqm(
    first,
    {
      samples: [
        sample(1),
        sample(2),
        sample(3, { failedRatio: 0.035 }),
        sample(4, { pollsSent: 0, failedRatio: undefined, latencySeconds: {}, trafficBitsPerSecond: {} }),
        // Sample 5 is missing: offline time between two consecutive samples.
        sample(6, { score: -2, trafficBitsPerSecond: { down: 80_000 } }),
      ],
    },
    T0 + 7 * PERIOD_MS,
  );
}

describe('encodeCqmLineState and decodeCqmLineState', () => {
  it('round-trip a state that trackCqm built, through JSON text', () => {
    const state = trackedState();
    expect(state.totals).toEqual({
      // Samples 3, 4 and 6: 100 + 0 + 100 polls; round(3.5) + round(2) failures.
      pollsSent: 200,
      pollsFailed: 6,
      // Sample 4 (no poll sent) and the missing sample 5.
      offlineSeconds: 200,
      unobservedSeconds: 0,
      samples: 3,
    });
    const decoded = decodeCqmLineState(JSON.parse(JSON.stringify(encodeCqmLineState(state))));
    expect(decoded).toStrictEqual(state);
    expect(decoded?.newest?.start).toBeInstanceOf(Date);
    expect(Object.isFrozen(decoded)).toBe(true);
  });

  it('store the newest sample start as ms since the epoch and leave absent values out', () => {
    const encoded = encodeCqmLineState(
      trackCqm(emptyCqmLineState(), { samples: [sample(0, { score: undefined })] }, T0 + PERIOD_MS),
    );
    expect(encoded).toEqual({
      lastSeenStartMs: T0,
      periodSeconds: 100,
      totals: { pollsSent: 0, pollsFailed: 0, offlineSeconds: 0, unobservedSeconds: 0, samples: 0 },
      newest: {
        start: T0,
        periodSeconds: 100,
        pollsSent: 100,
        failedRatio: 0.02,
        latencySeconds: { min: 0.008, avg: 0.0093, max: 0.0121 },
        trafficBitsPerSecond: { down: 51_200, up: 12_800 },
      },
    });
  });

  it('round-trip the empty state, and the state after a fetch that brought nothing new', () => {
    const empty = emptyCqmLineState();
    expect(decodeCqmLineState(encodeCqmLineState(empty))).toStrictEqual(empty);
    const state = trackedState();
    const again = trackCqm(state, { samples: [sample(6)] }, T0 + 8 * PERIOD_MS);
    expect(decodeCqmLineState(encodeCqmLineState(again))).toStrictEqual(state);
  });

  it('continue counting after a round trip exactly as without one', () => {
    const state = trackedState();
    const decoded = decodeCqmLineState(encodeCqmLineState(state));
    expect(decoded).toBeDefined();
    if (decoded === undefined) return;
    const next = { samples: [sample(6), sample(7), sample(8, { pollsSent: 50 })] };
    expect(trackCqm(decoded, next, T0 + 9 * PERIOD_MS)).toStrictEqual(
      trackCqm(state, next, T0 + 9 * PERIOD_MS),
    );
  });

  it('leave out a gauge value that is not a finite number, keeping the rest', () => {
    const state = trackCqm(
      emptyCqmLineState(),
      { samples: [sample(0, { score: Number.NaN, latencySeconds: { avg: Number.POSITIVE_INFINITY } })] },
      T0 + PERIOD_MS,
    );
    const decoded = decodeCqmLineState(JSON.parse(JSON.stringify(encodeCqmLineState(state))));
    expect(decoded?.newest?.score).toBeUndefined();
    expect(decoded?.newest?.latencySeconds).toEqual({});
    expect(decoded?.totals).toEqual(state.totals);
  });
});

describe('decodeCqmLineState', () => {
  const valid = encodeCqmLineState(trackedState());
  const validJson = JSON.stringify(valid);

  /** The valid encoding with one value replaced (by a path of keys). */
  function withValue(path: readonly string[], value: unknown): unknown {
    const copy: unknown = JSON.parse(validJson);
    let node: unknown = copy;
    for (const key of path.slice(0, -1))
      node = node !== null && typeof node === 'object' ? Reflect.get(node, key) : undefined;
    if (node !== null && typeof node === 'object') Reflect.set(node, path.at(-1) ?? '', value);
    return copy;
  }

  it('accepts the valid encoding, and ignores keys it does not know', () => {
    expect(decodeCqmLineState(JSON.parse(validJson))).toBeDefined();
    expect(decodeCqmLineState(withValue(['future'], { x: 1 }))).toStrictEqual(trackedState());
  });

  it.each([
    ['null', null],
    ['a number', 42],
    ['an array', []],
    ['an object without totals', {}],
  ])('refuses %s', (_name, value) => {
    expect(decodeCqmLineState(value)).toBeUndefined();
  });

  it.each([
    ['a negative total', ['totals', 'pollsSent'], -1],
    ['a total as text', ['totals', 'offlineSeconds'], '200'],
    ['a null total', ['totals', 'unobservedSeconds'], null],
    ['a fractional sample count', ['totals', 'samples'], 2.5],
    ['a lastSeenStartMs that is not a number', ['lastSeenStartMs'], 'yesterday'],
    ['a zero period', ['periodSeconds'], 0],
    ['a start as ISO text', ['newest', 'start'], '2026-01-20T12:10:00.000Z'],
    ['a start outside the Date range', ['newest', 'start'], 9e15],
    ['a start other than lastSeenStartMs', ['newest', 'start'], T0],
    ['a failed ratio above 1', ['newest', 'failedRatio'], 3.5],
    ['latencies that are not an object', ['newest', 'latencySeconds'], [0.1]],
    ['a missing traffic object', ['newest', 'trafficBitsPerSecond'], undefined],
  ])('refuses %s', (_name, path, value) => {
    expect(decodeCqmLineState(withValue(path, value))).toBeUndefined();
  });
});
