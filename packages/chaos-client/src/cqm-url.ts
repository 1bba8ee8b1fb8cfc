/**
 * A CQM link is a capability URL: the secret in its path is the only credential
 * (docs/chaos-api.md §11.2). This decides, once, which parts of a link are secret: it masks them
 * for display, scrubs them out of text that came back, and lists them for a tool that must cut
 * them out of what it keeps.
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
 * Shorter forms are not scrubbed or listed: a 1–3 character segment is no secret worth the
 * garbling (every `a` in a message, every `ab` in a CSV), and no key is that short (A&A's are 16
 * characters, a FireBrick's 40). The masked link hides it anyway.
 */
const MIN_SECRET_LENGTH = 4;

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

/** `text` percent-decoded; as it is when it is no valid encoding (a lone `%`), so nothing throws. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Every part {@link maskCqmUrl} hides (path segments, query, fragment, user info), as written and
 * decoded, of any length: the one list both {@link cqmLinkSecrets} and the scrubber start from.
 */
function hiddenParts(url: URL): string[] {
  const hidden = [
    ...segments(url)
      .filter((segment) => !segment.shown)
      .map((segment) => segment.text),
    url.search.slice(1),
    url.hash.slice(1),
    url.username,
    url.password,
  ].filter((part) => part !== '');
  return hidden.flatMap((part) => [part, decoded(part)]);
}

/** What of a CQM link must be kept out of text, as {@link cqmLinkSecrets} finds it. */
export interface CqmLinkSecrets {
  /**
   * The whole link, each spelling once: as given, as the URL parser writes it, and percent-decoded.
   * For text that is not a URL, that text alone: all of it may be the secret.
   */
  readonly links: readonly string[];
  /**
   * Every part {@link maskCqmUrl} replaces by `…` (each path segment but `cqmdirect.cgi` and the
   * file name; query, fragment, user info), each once as written and once percent-decoded. None
   * is shorter than 4 characters: cutting every `ab` out of a text would wreck it, and no key is
   * that short.
   */
  readonly parts: readonly string[];
  /**
   * The file name (`home.csv`, the last segment when it names a file), as written and
   * percent-decoded; empty when the link names none. It is no secret ({@link maskCqmUrl} shows
   * it), but the user chose it and it may be personal (`Flat 4 Smith.csv`).
   */
  readonly fileName: readonly string[];
}

/**
 * Which parts of a CQM link are secret, by the rule {@link maskCqmUrl} masks with: for a tool that
 * keeps text the link may appear in (logs, a bug report) and must cut it out. Replace `links`
 * first, longest first, then `parts` (see `secretForms` for their escaped spellings).
 *
 * @example
 * ```ts
 * import { cqmLinkSecrets } from '@aaisp/chaos-client';
 *
 * cqmLinkSecrets('https://control.aa.net.uk/cqmdirect.cgi/Ab12Cd34Ef56Gh78/My%20Flat.csv');
 * //=> { links: ['https://control.aa.net.uk/cqmdirect.cgi/Ab12Cd34Ef56Gh78/My%20Flat.csv',
 * //             'https://control.aa.net.uk/cqmdirect.cgi/Ab12Cd34Ef56Gh78/My Flat.csv'],
 * //     parts: ['Ab12Cd34Ef56Gh78'],
 * //     fileName: ['My%20Flat.csv', 'My Flat.csv'] }
 * ```
 */
export function cqmLinkSecrets(url: string | URL): CqmLinkSecrets {
  const given = String(url);
  const parsed = parse(url);
  if (parsed === undefined) return { links: [given], parts: [], fileName: [] };
  const last = segments(parsed).at(-1);
  const file = last?.shown === true && last.text !== SERVICE_SEGMENT ? last.text : undefined;
  return {
    links: [...new Set([given, parsed.href, decoded(given)])],
    parts: [...new Set(hiddenParts(parsed).filter((part) => part.length >= MIN_SECRET_LENGTH))],
    fileName: file === undefined ? [] : [...new Set([file, decoded(file)])],
  };
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
  // Lengths are checked after escaping: a short part's escaped form can be long enough to matter.
  const parts = secretForms(hiddenParts(url)).filter((form) => form.length >= MIN_SECRET_LENGTH);
  return (text) => {
    let clean = text;
    for (const form of whole) clean = clean.replaceAll(form, masked);
    for (const form of parts) clean = clean.replaceAll(form, MASK);
    return clean;
  };
}
