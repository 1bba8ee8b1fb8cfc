import { describe, expect, it } from 'vitest';
import { callTable } from './index.ts';

describe('the call table', () => {
  it('makes one read call per collector, and never a write', () => {
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
