import { describe, expect, it } from 'vitest';
import { callTable } from '../../harness/bindings.ts';

describe('the call table', () => {
  it('names one call per collector: a CHAOS read command, or the pseudo-command of its source', () => {
    expect(Object.fromEntries(callTable())).toEqual({
      broadband_lines: 'broadband/info',
      broadband_services: 'broadband/services',
      login_services: 'login/services',
      telephony_ratecard: 'telephony/ratecard',
      // Not CHAOS: the pseudo-command of the lines' CQM CSVs.
      cqm: 'cqm/csv',
    });
  });
});
