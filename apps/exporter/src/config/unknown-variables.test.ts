import { describe, expect, it } from 'vitest';
import { knownVariables, unknownVariableWarnings } from './unknown-variables.ts';

const P = 'AAISP_EXPORTER_';

describe('unknownVariableWarnings', () => {
  it('warns of each unread variable with the prefix, naming the likely one', () => {
    const env = {
      [`${P}INTERVAL__FAST`]: '30',
      [`${P}SERVER__PORT`]: '9100',
      [`${P}COLLECTORS__ENABLE_CQM`]: 'true',
      [`${P}XYZZY`]: '1',
      PATH: '/bin',
    };
    expect(unknownVariableWarnings(env)).toEqual([
      {
        variable: `${P}INTERVAL__FAST`,
        message: `is not a variable the exporter reads, so it is ignored; did you mean ${P}INTERVALS__FAST?`,
      },
      { variable: `${P}XYZZY`, message: 'is not a variable the exporter reads, so it is ignored' },
    ]);
  });

  it('knows the switches and the _FILE forms of the secrets', () => {
    const known = knownVariables();
    expect(known).toContain('COLLECTORS__ENABLE_BROADBAND');
    expect(known).toContain('AUTH__CONTROL_PASSWORD_FILE');
    expect(known).toContain('CQM__URLS_FILE');
  });
});
