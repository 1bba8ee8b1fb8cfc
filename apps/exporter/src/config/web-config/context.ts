/**
 * What every part of the web-config reader shares: the shape of a problem, and the context a
 * section is read in. Its own module so the section readers need not import the entry that
 * composes them.
 *
 * @module
 */

/** One thing wrong with the file: the YAML path of the field (empty for the whole file), and why. */
export interface WebConfigProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * What reading a section needs: the file's path (relative paths in it are resolved against its
 * directory), how to read another file, and the list each problem is added to, so every problem
 * in the file is reported at once.
 */
export interface SectionContext {
  readonly configPath: string;
  readonly readFile: (path: string) => string;
  readonly problems: WebConfigProblem[];
}
