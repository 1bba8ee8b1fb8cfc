/**
 * "Did you mean": the known name closest to a mistyped one, by edit distance over a form that
 * ignores case and the separators people mix up (`.`, `-`, `_`), so `--log-level`, `--LOG.LEVEL`
 * and `LOGGING__LEVEL` all find their match.
 *
 * @module
 */

/** `--Web.Listen_Address` → `weblistenaddress`: what is left when the separators are gone. */
function comparable(name: string): string {
  return name
    .replace(/^-+/, '')
    .replace(/^aaisp_exporter_/i, '')
    .toLowerCase()
    .replaceAll(/[-._]/g, '');
}

/** The Levenshtein distance, with a swap of two neighbours counting as one edit. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i];
    if (row === undefined) continue;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate closest to `input`, or undefined when none is close enough to be a likely typo
 * (more edits than a third of the longer name, at least 2, unless it is a part of the name of
 * four or more letters): a wild guess would mislead more than "see --help". Ties go to the
 * earlier candidate, so list the likelier ones first.
 */
export function nearestName(input: string, candidates: readonly string[]): string | undefined {
  const typed = comparable(input);
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const known = comparable(name);
    const distance = editDistance(typed, known);
    const allowed = Math.max(2, Math.floor(Math.max(typed.length, known.length) / 3));
    // A part of the name (`--port`, `--listen-address`) is a likely guess too, however short.
    // It ranks just before one edit: `--port` means SERVER__PORT rather than `--out`.
    const part = typed.length >= 4 && known.includes(typed);
    const rank = part ? Math.min(distance, 0.5 + distance / 100) : distance;
    if ((distance <= allowed || part) && (best === undefined || rank < best.distance))
      best = { name, distance: rank };
  }
  return best?.name;
}
