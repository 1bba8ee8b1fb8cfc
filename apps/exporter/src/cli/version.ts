/**
 * `aaisp-exporter --version`, in the Go exporters' shape (`node_exporter, version 1.8.2 …` and an
 * indented line per fact), so a bug report carries what matters: the exporter's version, the
 * Node.js running it, and the platform.
 *
 * @module
 */

/** What the version text reports; `process` supplies the last two. */
export interface VersionFacts {
  /** The package version, e.g. `1.2.0`. */
  readonly version: string;
  /** `process.version`, e.g. `v24.11.1`. */
  readonly nodeVersion: string;
  /** `process.platform`, e.g. `linux`. */
  readonly platform: string;
  /** `process.arch`, e.g. `x64`. */
  readonly arch: string;
}

/**
 * The text `--version` prints.
 *
 * @example
 * ```ts
 * versionText({ version: '1.2.0', nodeVersion: process.version, platform: process.platform, arch: process.arch });
 * // aaisp-exporter, version 1.2.0 (@aaisp/exporter)
 * //   node version: v24.11.1
 * //   platform: linux/x64
 * ```
 */
export function versionText(facts: VersionFacts): string {
  return [
    `aaisp-exporter, version ${facts.version} (@aaisp/exporter)`,
    `  node version: ${facts.nodeVersion}`,
    `  platform: ${facts.platform}/${facts.arch}`,
    '',
  ].join('\n');
}
