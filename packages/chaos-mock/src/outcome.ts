/**
 * What the backend hands its transports (the `node:http` server and the msw handlers): a response,
 * a reset or a hang. Kept apart from `backend.ts` so the CHAOS, CQM and fault modules can build
 * outcomes without importing the module that composes them.
 *
 * @module
 */

/** How an adapter must realise an answer. */
export type MockOutcome =
  | { readonly type: 'response'; readonly response: Response }
  /** Drop the connection with a TCP reset (or a network error under msw). */
  | { readonly type: 'reset' }
  /** Never answer; reset after `hangMs` if set, else wait until the client or the mock gives up. */
  | { readonly type: 'hang'; readonly hangMs: number | undefined };

/** A `text/plain` answer, for the mock's own refusals (404, 405, 429, 501): no source shows A&A's. */
export function textOutcome(body: string, status: number, headers: Record<string, string> = {}): MockOutcome {
  return {
    type: 'response',
    response: new Response(body, {
      status,
      headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
    }),
  };
}

/** A `text/html` answer, as a web server or proxy in front of CHAOS or CQM sends its errors. */
export function htmlOutcome(body: string, status: number): MockOutcome {
  return {
    type: 'response',
    response: new Response(body, { status, headers: { 'content-type': 'text/html' } }),
  };
}

/** A 200 answer with a body and its content type: a CHAOS envelope or a CQM CSV. */
export function bodyOutcome(body: string, contentType: string): MockOutcome {
  return {
    type: 'response',
    response: new Response(body, { status: 200, headers: { 'content-type': contentType } }),
  };
}
