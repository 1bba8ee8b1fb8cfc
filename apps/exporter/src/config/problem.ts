/**
 * A configuration problem: the one type every part of the configuration reports in, in its own
 * module so the parts need not import the loader that composes them.
 *
 * @module
 */

/** One thing wrong with the configuration: which variable (or file field), and why. */
export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}
