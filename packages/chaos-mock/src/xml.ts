/**
 * CHAOS's XML form, both ways: request attributes out of a `<chaos>` body, and a JSON-shaped
 * answer back into XML for `/xml`.
 *
 * CHAOS is XML inside and derives its JSON from it (docs/chaos-api.md §2.3), so the mapping here is
 * that derivation run backwards: attributes are strings, repeated objects are repeated elements,
 * names use hyphens. Where the real XML is not shown by any source (top-level `error`, string
 * lists such as `services`), the choice is marked [I].
 *
 * @module
 */

import { isRecord } from './is-record.ts';

/** CHAOS v2's XML namespace (ROSS's live test asserts it). */
export const CHAOS_NAMESPACE = 'https://chaos2.aa.net.uk/';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (whole, name: string) => {
    if (!name.startsWith('#')) return ENTITIES[name.toLowerCase()] ?? whole;
    const hex = name[1] === 'x' || name[1] === 'X';
    const codePoint = Number.parseInt(name.slice(hex ? 2 : 1), hex ? 16 : 10);
    // An out-of-range reference is left as written rather than crashing the mock.
    return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : whole;
  });
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const ATTRIBUTE = /([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/**
 * Reads request attributes from an XML body: attributes on the `<chaos>` element and simple
 * `<name>value</name>` children, the two forms D1 describes.
 *
 * @returns the attributes in document order, or `undefined` when there is no `<chaos>` element.
 */
export function readXmlAttributes(body: string): [string, string][] | undefined {
  // Attribute values may contain '>', so the tag ends at the first '>' outside quotes.
  const open = /<(?:[\w-]+:)?chaos\b((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/.exec(body);
  if (!open) return undefined;
  const pairs: [string, string][] = [];
  for (const match of (open[1] ?? '').matchAll(ATTRIBUTE)) {
    const name = match[1] ?? '';
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    pairs.push([name, decodeEntities(match[2] ?? match[3] ?? '')]);
  }
  if (open[2] === '/') return pairs;
  const inner = body.slice(open.index + open[0].length);
  for (const match of inner.matchAll(
    /<([A-Za-z_][\w-]*)\s*>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1\s*>/g,
  )) {
    pairs.push([match[1] ?? '', match[2] ?? decodeEntities(match[3] ?? '')]);
  }
  return pairs;
}

function xmlName(key: string): string {
  return key.replace(/_/g, '-');
}

function element(name: string, value: Record<string, unknown>, indent: string): string {
  const attributes: string[] = [];
  const children: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (typeof child === 'string') attributes.push(` ${xmlName(key)}="${escapeXml(child)}"`);
    else children.push(...childElements(key, child, `${indent}  `));
  }
  const tag = xmlName(name);
  if (children.length === 0) return `${indent}<${tag}${attributes.join('')}/>`;
  return `${indent}<${tag}${attributes.join('')}>\n${children.join('\n')}\n${indent}</${tag}>`;
}

function childElements(key: string, value: unknown, indent: string): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => childElements(key, item, indent));
  if (isRecord(value)) return [element(key, value, indent)];
  // [I] A bare string in a list (`services`) or at the top level (`error`) becomes text content.
  if (typeof value === 'string') return [`${indent}<${xmlName(key)}>${escapeXml(value)}</${xmlName(key)}>`];
  return [];
}

/**
 * Writes a JSON-shaped CHAOS answer as CHAOS XML: a `<chaos>` root in the v2 namespace with
 * `subsystem` and `command` as root attributes [I], objects as elements, string fields as
 * hyphenated attributes.
 *
 * @example
 * ```ts
 * toChaosXml({ subsystem: 'broadband', command: 'quota', quota: [{ ID: '32001', quota_monthly: '0' }] });
 * // <chaos xmlns="https://chaos2.aa.net.uk/" subsystem="broadband" command="quota">
 * //   <quota ID="32001" quota-monthly="0"/>
 * // </chaos>
 * ```
 */
export function toChaosXml(answer: Readonly<Record<string, unknown>>): string {
  const rootAttributes = [` xmlns="${CHAOS_NAMESPACE}"`];
  const children: string[] = [];
  for (const [key, value] of Object.entries(answer)) {
    if ((key === 'subsystem' || key === 'command') && typeof value === 'string') {
      rootAttributes.push(` ${key}="${escapeXml(value)}"`);
    } else {
      children.push(...childElements(key, value, '  '));
    }
  }
  const body = children.length > 0 ? `>\n${children.join('\n')}\n</chaos>` : '/>';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<chaos${rootAttributes.join('')}${body}\n`;
}
