import { describe, expect, it } from 'vitest';
import { secretForms } from './index.ts';

describe('secretForms: every form a password takes in text', () => {
  it('gives it as sent, JSON-escaped, URL- and form-encoded, longest first, without empties', () => {
    expect(secretForms(['a "b"+c', ''])).toEqual([
      'a%20%22b%22%2Bc',
      'a+%22b%22%2Bc',
      'a \\"b\\"+c',
      'a "b"+c',
    ]);
  });

  it('keeps one copy of a form two secrets share', () => {
    expect(secretForms(['plain', 'plain'])).toEqual(['plain']);
  });
});
