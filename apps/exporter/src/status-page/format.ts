/**
 * How the status page writes values: HTML-escaped text, humanised rates, bytes, durations and
 * times.
 *
 * @module
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/** Scales a value by thousands into `units`: one decimal except for the base unit. */
function scaled(value: number, units: readonly string[]): string {
  let magnitude = Math.abs(value);
  let unit = 0;
  while (magnitude >= 999.95 && unit < units.length - 1) {
    magnitude /= 1000;
    unit++;
  }
  return `${value < 0 ? '−' : ''}${magnitude.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** `79987000` → `80.0 Mbit/s`. */
export function formatBitRate(bps: number | undefined): string {
  return bps === undefined ? '–' : scaled(bps, ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s']);
}

/** `231845120448` → `231.8 GB` (decimal, as A&A counts quota). */
export function formatBytes(bytes: number | undefined): string {
  return bytes === undefined ? '–' : scaled(bytes, ['B', 'kB', 'MB', 'GB', 'TB']);
}

/** `0.5` → `0.5 s`, `300` → `5 min`, `5400` → `1.5 h`. */
export function formatDuration(seconds: number): string {
  const round = (value: number): string => String(Math.round(value * 10) / 10);
  if (seconds < 60) return `${round(seconds)} s`;
  if (seconds < 3600) return `${round(seconds / 60)} min`;
  if (seconds < 86_400) return `${round(seconds / 3600)} h`;
  return `${round(seconds / 86_400)} d`;
}

/** A time relative to now: `12 s ago`, `in 3 min`, `never`. */
export function formatAgo(nowMs: number, ms: number | undefined): string {
  if (ms === undefined) return 'never';
  if (Math.abs(nowMs - ms) < 1000) return ms > nowMs ? 'in under 1 s' : 'just now';
  const seconds = Math.round((nowMs - ms) / 1000);
  const span = (value: number): string =>
    value < 120
      ? `${value} s`
      : value < 7200
        ? `${Math.round(value / 60)} min`
        : value < 172_800
          ? `${Math.round(value / 3600)} h`
          : `${Math.round(value / 86_400)} d`;
  if (seconds < 0) return `in ${span(-seconds)}`;
  return `${span(seconds)} ago`;
}

/** A share 0..1 as a percentage, one decimal at most: `0.2` → `20 %`, `0.051` → `5.1 %`. */
export function formatPercent(ratio: number): string {
  return `${String(Math.round(ratio * 1000) / 10)} %`;
}

/** Seconds as milliseconds, one decimal: `0.0068` → `6.8 ms`. */
export function formatMs(seconds: number): string {
  return `${(seconds * 1000).toFixed(1)} ms`;
}
