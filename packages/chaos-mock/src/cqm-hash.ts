/**
 * Stable integer hashes for the fake CQM: every secret and sample value is a function of the line
 * ID (and the sample's start), never of a random source, so two mocks answer byte for byte alike.
 *
 * @module
 */

/** FNV-1a over the UTF-16 units of `text`: an unsigned 32-bit hash. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Mixes a seed with a number (a sample start, a salt) into an unsigned 32-bit value; a murmur3
 * finaliser, so neighbouring inputs give unrelated outputs.
 */
export function mix(seed: number, value: number): number {
  let h = Math.imul(seed ^ value, 0x9e3779b1) ^ Math.imul(value >>> 16, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}
