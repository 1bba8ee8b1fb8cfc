import { spawnSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createGzipEncoder } from './gzip.ts';

/**
 * A 10 000-line-like exposition as the snapshot hands it over: parts (header, the lines in two
 * pieces, `# EOF`), repetitive as the real one is, so it compresses.
 */
function exposition(lines: number): Buffer[] {
  const header =
    '# HELP aaisp_broadband_sync_download_bits_per_second Download sync rate.\n# TYPE aaisp_broadband_sync_download_bits_per_second gauge\n';
  const series: string[] = [];
  for (let line = 0; line < lines; line++) {
    series.push(
      `aaisp_broadband_sync_download_bits_per_second{line_id="${30_000 + line}"} ${79_000_000 + line * 7}\n`,
    );
  }
  const half = Math.floor(lines / 2);
  return [header, series.slice(0, half).join(''), series.slice(half).join(''), '# EOF\n'].map((part) =>
    Buffer.from(part),
  );
}

const joined = (parts: readonly Buffer[]): Buffer => Buffer.concat(parts);

/** The system's gzip(1), a decoder that shares nothing with Node's zlib bindings. */
function gunzipWithTool(body: Buffer): Buffer {
  const result = spawnSync('gzip', ['-dc'], { input: body, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`gzip -dc failed: ${result.stderr.toString()}`);
  return result.stdout;
}

describe('createGzipEncoder: a cached head deflated once, a fresh tail per response', () => {
  it('gives one gzip body that both zlib and gzip(1) read back as head + tail', async () => {
    const encoder = createGzipEncoder();
    const cached = exposition(20_000);
    const headParts = cached.length - 1;
    const tail = ['aaisp_exporter_up 1\n', Buffer.from('# EOF\n')];
    const parts = await encoder.encode(cached, headParts, tail);
    const body = Buffer.concat(parts);
    const expected = Buffer.concat([
      ...cached.slice(0, headParts),
      Buffer.from('aaisp_exporter_up 1\n# EOF\n'),
    ]);
    expect(gunzipSync(body).equals(expected)).toBe(true);
    expect(gunzipWithTool(body).equals(expected)).toBe(true);
    // A real exposition shrinks by an order of magnitude or more.
    expect(body.length).toBeLessThan(expected.length / 10);
  });

  it('deflates the head once per cached parts and the tail once per change, and again for new parts', async () => {
    const encoder = createGzipEncoder();
    const cached = exposition(1_000);
    const first = await encoder.encode(cached, cached.length, ['up 1\n']);
    const second = await encoder.encode(cached, cached.length, ['up 2\n']);
    expect(second[1]).toBe(first[1]);
    expect(gunzipSync(Buffer.concat(second)).toString().endsWith('\nup 2\n')).toBe(true);
    // The same self-metrics again (scrapes within one second): nothing is compressed.
    const again = await encoder.encode(cached, cached.length, ['up 2\n']);
    expect(again[2]).toBe(second[2]);
    expect(again[3]).toBe(second[3]);
    expect(second[2]).not.toBe(first[2]);
    const changed = exposition(1_001);
    const third = await encoder.encode(changed, changed.length, ['up 3\n']);
    expect(third[1]).not.toBe(first[1]);
    expect(gunzipSync(Buffer.concat(third)).equals(Buffer.concat([...changed, Buffer.from('up 3\n')]))).toBe(
      true,
    );
  });

  it('shares one deflate between concurrent requests for new parts', async () => {
    const encoder = createGzipEncoder();
    const cached = exposition(5_000);
    const bodies = await Promise.all(
      [1, 2, 3].map((n) => encoder.encode(cached, cached.length, [`up ${n}\n`])),
    );
    expect(bodies[1]?.[1]).toBe(bodies[0]?.[1]);
    expect(bodies[2]?.[1]).toBe(bodies[0]?.[1]);
  });

  it('keeps one head per part count of the same parts (OpenMetrics sends all but its # EOF)', async () => {
    const encoder = createGzipEncoder();
    const cached = exposition(100);
    const withoutEof = cached.length - 1;
    const whole = await encoder.encode(cached, cached.length, []);
    const cut = await encoder.encode(cached, withoutEof, ['# EOF\n']);
    expect(cut[1]).not.toBe(whole[1]);
    expect((await encoder.encode(cached, withoutEof, ['# EOF\n']))[1]).toBe(cut[1]);
    expect((await encoder.encode(cached, cached.length, []))[1]).toBe(whole[1]);
    expect(gunzipWithTool(Buffer.concat(cut)).equals(joined(cached))).toBe(true);
    expect(gunzipWithTool(Buffer.concat(whole)).equals(joined(cached))).toBe(true);
  });

  it('handles an empty head (nothing collected yet) and an empty tail (/probe)', async () => {
    const encoder = createGzipEncoder();
    const empty: Buffer[] = [];
    const onlyTail = Buffer.concat(await encoder.encode(empty, 0, ['aaisp_exporter_up 1\n']));
    expect(gunzipWithTool(onlyTail).toString()).toBe('aaisp_exporter_up 1\n');
    const cached = exposition(10);
    const onlyHead = Buffer.concat(await encoder.encode(cached, cached.length, []));
    expect(gunzipWithTool(onlyHead).equals(joined(cached))).toBe(true);
  });

  it('writes the length modulo 2^32 and a CRC-32 over head and tail together', async () => {
    const encoder = createGzipEncoder();
    const cached = [Buffer.from('ab'), Buffer.from('c')];
    const body = Buffer.concat(await encoder.encode(cached, 2, ['def']));
    // RFC 1952 trailer; CRC-32("abcdef") = 0x4b8e39ef.
    expect(body.readUInt32LE(body.length - 8)).toBe(0x4b8e39ef);
    expect(body.readUInt32LE(body.length - 4)).toBe(6);
  });
});
