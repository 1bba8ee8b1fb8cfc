/**
 * A CQM link is a capability URL: the secret in its path is the only credential
 * (docs/chaos-api.md §11.2). This masks it for display and scrubs it out of text that came back.
 *
 * @module
 */

import { secretForms } from './secret-forms.ts';

/** The segment that names A&A's CQM service, not a line: it may be shown. */
const SERVICE_SEGMENT = 'cqmdirect.cgi';
/** A last segment that names a file (`home.csv`, `line32001.tsv`); anything else may be a secret. */
const FILE_NAME = /^[^.]+(\.[A-Za-z0-9]{1,8})+$/;
/** What stands in for each masked segment. */
const MASK = '…';
/**
 * Shorter forms are not scrubbed out of text: a 1–3 character segment is no secret worth the
 * garbling (every `a` in a message), and the masked link already hides it.
 */
const MIN_SCRUB_LENGTH = 4;

function parse(url: string | URL): URL | undefined {
  return URL.parse(String(url)) ?? undefined;
}

/** The path's segments, each with whether it may be shown. */
function segments(url: URL): { readonly text: string; readonly shown: boolean }[] {
  const parts = url.pathname.split('/').filter((segment) => segment !== '');
  return parts.map((text, index) => ({
    text,
    shown: text === SERVICE_SEGMENT || (index === parts.length - 1 && FILE_NAME.test(text)),
  }));
}

/**
 * The masked form of a CQM link, safe to log: the host (with its port), `cqmdirect.cgi`, the file
 * name, and `…` for every other path segment (the secret, or a FireBrick's hash and date). User
 * info, query and fragment are dropped. A last segment that is not a file name (`…/<secret>` with
 * no `<name>.csv`) is masked too.
 *
 * @returns the masked form; `(not a URL)` for a string that does not parse (never any of it).
 * @example
 * ```ts
 * maskCqmUrl('https://control.aa.net.uk/cqmdirect.cgi/Ab12Cd34Ef56Gh78/home.csv');
 * //=> 'control.aa.net.uk/cqmdirect.cgi/…/home.csv'
 * maskCqmUrl('https://me:pw@fb.example/cqm/0123abcd/2026-01-20/home.csv?key=1');
 * //=> 'fb.example/…/…/…/home.csv'
 * ```
 */
export function maskCqmUrl(url: string | URL): string {
  const parsed = parse(url);
  if (parsed === undefined) return '(not a URL)';
  return [parsed.host, ...segments(parsed).map((segment) => (segment.shown ? segment.text : MASK))].join('/');
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * @internal A function that removes a CQM link from text the SDK did not write (an HTTP reason
 * phrase, a fetch error's message): the whole link in any of its spellings becomes its masked
 * form, and each masked part (path segments, query, fragment, user info) in any of its encodings
 * becomes `…`.
 */
export function cqmUrlScrubber(url: URL, given: string = url.href): (text: string) => string {
  const masked = maskCqmUrl(url);
  const whole = [...new Set([given, url.href, `${url.host}${url.pathname}`])].sort(
    (a, b) => b.length - a.length,
  );
  const hidden = [
    ...segments(url)
      .filter((segment) => !segment.shown)
      .map((segment) => segment.text),
    url.search.slice(1),
    url.hash.slice(1),
    url.username,
    url.password,
  ];
  const parts = secretForms([...hidden, ...hidden.map(decoded)]).filter(
    (form) => form.length >= MIN_SCRUB_LENGTH,
  );
  return (text) => {
    let clean = text;
    for (const form of whole) clean = clean.replaceAll(form, masked);
    for (const form of parts) clean = clean.replaceAll(form, MASK);
    return clean;
  };
}
