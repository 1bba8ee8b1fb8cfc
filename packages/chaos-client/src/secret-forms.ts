/**
 * The forms a password takes in text CHAOS or fetch may send back, so that scrubbing finds every
 * one of them.
 *
 * @module
 */

/**
 * Every form each secret can take in text passed on: as sent, JSON-escaped (a non-string CHAOS
 * `error` is stringified, so `"` and `\\` come back escaped), URL-encoded and form-encoded (an echo
 * of a request body). Empty strings are dropped and the longest come first, so replacing them in
 * order never leaves a form half-replaced. The SDK scrubs its errors with these; a tool that keeps
 * CHAOS text (logs, bug reports) can do the same.
 *
 * @example
 * ```ts
 * const forms = secretForms([password]);
 * const clean = forms.reduce((text, form) => text.replaceAll(form, '***'), raw);
 * ```
 */
export function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
    forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  }
  return [...forms].filter((form) => form !== '').sort((a, b) => b.length - a.length);
}
