import { describe, expect, it } from 'vitest';
import { dotEnvAdditions } from './dot-env.ts';

describe('dotEnvAdditions', () => {
  it("takes the exporter's variables only, and never one the environment already sets", () => {
    const text = [
      'AAISP_EXPORTER_AUTH__CONTROL_LOGIN=ab123@a',
      'AAISP_EXPORTER_SERVER__PORT=9100',
      'NODE_TLS_REJECT_UNAUTHORIZED=0',
      'HTTPS_PROXY=http://proxy.example:3128',
      'aaisp_exporter_server__host=0.0.0.0',
    ].join('\n');
    expect(dotEnvAdditions(text, { AAISP_EXPORTER_SERVER__PORT: '9200' })).toEqual({
      AAISP_EXPORTER_AUTH__CONTROL_LOGIN: 'ab123@a',
    });
  });

  it('reads quoted values and comments as Node does', () => {
    expect(dotEnvAdditions('# a comment\nAAISP_EXPORTER_LOGGING__LEVEL="debug"\n', {})).toEqual({
      AAISP_EXPORTER_LOGGING__LEVEL: 'debug',
    });
  });
});
