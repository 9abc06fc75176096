import { SaxesParser, type SaxesTagNS } from 'saxes';
import type { UpstreamResponse } from './http';

/**
 * The one XML parser configuration of the gateway (DESIGN §6). Every adapter parses upstream XML
 * through `parseXml`, so the security rules hold everywhere:
 * - no DTD processing: a DOCTYPE is rejected (or, for WMS 1.1.1 which mandates one, skipped when
 *   it declares no entities — nothing is ever fetched or expanded);
 * - no entity expansion beyond the five predefined ones and character references (an undeclared
 *   entity is a well-formedness error, so XXE and billion-laughs payloads cannot work);
 * - limits on input bytes, nesting depth, element count and attributes per element, checked
 *   while parsing so a hostile document is dropped before it costs memory.
 * Namespaces are resolved: mappers match on namespace URI + local name, whatever prefixes the
 * upstream chose.
 */

export interface XmlLimits {
  /** Input size in bytes (UTF-8 for strings). */
  maxBytes: number;
  maxDepth: number;
  maxElements: number;
  maxAttributes: number;
  /**
   * `reject`: any DOCTYPE is an XmlSecurityError (default).
   * `skip-if-no-entities`: a DOCTYPE without ENTITY declarations is ignored (WMS 1.1.1
   * capabilities and exception reports carry one by specification); the DTD is never read.
   */
  doctype: 'reject' | 'skip-if-no-entities';
}

export const DEFAULT_XML_LIMITS: XmlLimits = {
  maxBytes: 32 * 1024 * 1024,
  maxDepth: 100,
  maxElements: 500_000,
  maxAttributes: 256,
  doctype: 'reject',
};

export class XmlError extends Error {}

export class XmlLimitError extends XmlError {
  constructor(
    readonly limit: keyof Omit<XmlLimits, 'doctype'>,
    readonly max: number,
    detail: string,
  ) {
    super(`XML ${limit} limit of ${max} exceeded: ${detail}`);
    this.name = 'XmlLimitError';
  }
}

export class XmlSecurityError extends XmlError {
  constructor(message: string) {
    super(`XML refused: ${message}`);
    this.name = 'XmlSecurityError';
  }
}

export class XmlSyntaxError extends XmlError {
  constructor(message: string) {
    super(`XML not well-formed: ${message}`);
    this.name = 'XmlSyntaxError';
  }
}

export interface XmlAttribute {
  ns: string;
  local: string;
  /** As written in the document (informational; match on ns + local). */
  name: string;
  value: string;
}

/** Prefix → namespace URI, chosen by the mapper (independent of the document's prefixes). */
export type NsMap = Readonly<Record<string, string>>;

const ANY = '*';

interface Step {
  ns: string;
  local: string;
}

function parseStep(step: string, nsMap: NsMap, path: string): Step {
  if (step === ANY) return { ns: ANY, local: ANY };
  const colon = step.indexOf(':');
  if (colon === -1) return { ns: '', local: step };
  const prefix = step.slice(0, colon);
  const local = step.slice(colon + 1);
  if (prefix === ANY) return { ns: ANY, local };
  const ns = nsMap[prefix];
  if (ns === undefined) throw new Error(`XML path ${JSON.stringify(path)}: prefix "${prefix}" is not in the namespace map`);
  return { ns, local };
}

const matches = (el: XmlElement, ns: string, local: string): boolean =>
  (ns === ANY || el.ns === ns) && (local === ANY || el.local === local);

export class XmlElement {
  /** Element children and text, in document order (CDATA is text; comments and PIs are dropped). */
  readonly nodes: (XmlElement | string)[] = [];

  constructor(
    /** Namespace URI, '' when the element is in no namespace. */
    readonly ns: string,
    readonly local: string,
    /** As written in the document (informational). */
    readonly prefix: string,
    readonly attributes: readonly XmlAttribute[],
    readonly parent: XmlElement | undefined,
  ) {}

  get name(): string {
    return this.prefix ? `${this.prefix}:${this.local}` : this.local;
  }

  is(ns: string, local: string): boolean {
    return matches(this, ns, local);
  }

  /** Attribute value; unprefixed attributes are in no namespace (ns ''). */
  attr(local: string, ns = ''): string | undefined {
    return this.attributes.find((a) => a.local === local && a.ns === ns)?.value;
  }

  get elements(): XmlElement[] {
    return this.nodes.filter((n): n is XmlElement => typeof n !== 'string');
  }

  /** First child element with this namespace URI and local name (`*` matches any). */
  child(ns: string, local: string): XmlElement | undefined {
    for (const n of this.nodes) if (typeof n !== 'string' && matches(n, ns, local)) return n;
    return undefined;
  }

  /** Child elements, optionally filtered by namespace URI and local name (`*` matches any). */
  children(ns: string = ANY, local: string = ANY): XmlElement[] {
    const out: XmlElement[] = [];
    for (const n of this.nodes) if (typeof n !== 'string' && matches(n, ns, local)) out.push(n);
    return out;
  }

  /** All descendant elements matching, depth-first in document order. */
  descendants(ns: string = ANY, local: string = ANY): XmlElement[] {
    const out: XmlElement[] = [];
    const stack: XmlElement[] = [...this.elements].reverse();
    while (stack.length) {
      const el = stack.pop()!;
      if (matches(el, ns, local)) out.push(el);
      for (let i = el.nodes.length - 1; i >= 0; i--) {
        const n = el.nodes[i];
        if (typeof n !== 'string') stack.push(n);
      }
    }
    return out;
  }

  /** Concatenated text of all descendants, untrimmed. */
  rawText(): string {
    let s = '';
    for (const n of this.nodes) s += typeof n === 'string' ? n : n.rawText();
    return s;
  }

  /** Concatenated text of all descendants, trimmed. */
  text(): string {
    return this.rawText().trim();
  }

  /**
   * Elements reached by a relative path of `prefix:local` steps separated by `/`, prefixes
   * resolved through `nsMap`; `*` matches any element, `*:local` any namespace, `prefix:*`
   * any local name, a step without prefix an element in no namespace.
   */
  findAll(path: string, nsMap: NsMap = {}): XmlElement[] {
    const steps = path.split('/').filter((s) => s !== '');
    let current: XmlElement[] = [this];
    for (const raw of steps) {
      if (raw.startsWith('@')) throw new Error(`XML path ${JSON.stringify(path)}: attribute steps are only allowed last, in textAt()`);
      const { ns, local } = parseStep(raw, nsMap, path);
      const next: XmlElement[] = [];
      for (const el of current) next.push(...el.children(ns, local));
      current = next;
      if (current.length === 0) break;
    }
    return current;
  }

  find(path: string, nsMap: NsMap = {}): XmlElement | undefined {
    return this.findAll(path, nsMap)[0];
  }

  /**
   * Trimmed text at a path, or the value of a final `@attr` / `@prefix:attr` step; `undefined`
   * when nothing matches or the value is empty — mappers treat both as "absent".
   */
  textAt(path: string, nsMap: NsMap = {}): string | undefined {
    return this.textsAt(path, nsMap)[0];
  }

  /** Every non-empty value `textAt` would consider, in document order. */
  textsAt(path: string, nsMap: NsMap = {}): string[] {
    const slash = path.lastIndexOf('/');
    const last = path.slice(slash + 1);
    let values: string[];
    if (last.startsWith('@')) {
      const els = slash === -1 ? [this] : this.findAll(path.slice(0, slash), nsMap);
      const { ns, local } = parseStep(last.slice(1), nsMap, path);
      values = els.map((el) => el.attr(local, ns === ANY ? '' : ns) ?? '');
    } else {
      values = this.findAll(path, nsMap).map((el) => el.text());
    }
    return values.map((v) => v.trim()).filter((v) => v !== '');
  }
}

/** Encoding from a BOM or the XML declaration; the protocols we speak use UTF-8 or ISO-8859-1. */
function sniffEncoding(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  return /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1].toLowerCase() ?? 'utf-8';
}

function decode(bytes: Uint8Array): string {
  const enc = sniffEncoding(bytes);
  try {
    return new TextDecoder(enc).decode(bytes);
  } catch {
    throw new XmlSyntaxError(`unsupported encoding "${enc}"`);
  }
}

/** Finds a DOCTYPE in the prolog without running the parser (so a huge internal subset is never buffered). */
function prologHasDoctype(text: string): boolean {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end === -1) return false;
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end === -1) return false;
      i = end + 3;
    } else {
      return text.startsWith('<!DOCTYPE', i) || text.startsWith('<!doctype', i);
    }
  }
}

const XMLNS_URI = 'http://www.w3.org/2000/xmlns/';

/** Parses a whole document into an XmlElement tree under the shared security rules. */
export function parseXml(input: string | Uint8Array, limits: Partial<XmlLimits> = {}): XmlElement {
  const lim: XmlLimits = { ...DEFAULT_XML_LIMITS, ...limits };
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > lim.maxBytes) throw new XmlLimitError('maxBytes', lim.maxBytes, `input has ${size} bytes`);
  const text = typeof input === 'string' ? input : decode(input);
  if (lim.doctype === 'reject' && prologHasDoctype(text)) {
    throw new XmlSecurityError('DOCTYPE declarations are not accepted (no DTD processing)');
  }

  const parser = new SaxesParser({ xmlns: true, position: true });
  let root: XmlElement | undefined;
  let current: XmlElement | undefined;
  let depth = 0;
  let elements = 0;
  let attrCount = 0;

  parser.on('doctype', (doctype) => {
    if (lim.doctype === 'reject') throw new XmlSecurityError('DOCTYPE declarations are not accepted (no DTD processing)');
    if (/<!ENTITY/i.test(doctype)) throw new XmlSecurityError('entity declarations are not accepted');
  });
  parser.on('opentagstart', () => {
    attrCount = 0;
    if (++depth > lim.maxDepth) throw new XmlLimitError('maxDepth', lim.maxDepth, `nesting deeper than ${lim.maxDepth}`);
    if (++elements > lim.maxElements) throw new XmlLimitError('maxElements', lim.maxElements, `more than ${lim.maxElements} elements`);
  });
  parser.on('attribute', () => {
    if (++attrCount > lim.maxAttributes) throw new XmlLimitError('maxAttributes', lim.maxAttributes, `element with more than ${lim.maxAttributes} attributes`);
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const attributes: XmlAttribute[] = [];
    for (const a of Object.values(tag.attributes)) {
      if (a.uri === XMLNS_URI || a.name === 'xmlns') continue;
      attributes.push({ ns: a.uri, local: a.local, name: a.name, value: a.value });
    }
    const el = new XmlElement(tag.uri, tag.local, tag.prefix, attributes, current);
    if (current) current.nodes.push(el);
    else root = el;
    current = el;
  });
  parser.on('closetag', () => {
    depth--;
    current = current?.parent;
  });
  const addText = (t: string) => {
    if (!current) return;
    const last = current.nodes.length - 1;
    if (last >= 0 && typeof current.nodes[last] === 'string') current.nodes[last] += t;
    else current.nodes.push(t);
  };
  parser.on('text', addText);
  parser.on('cdata', addText);

  try {
    parser.write(text).close();
  } catch (e) {
    if (e instanceof XmlError) throw e;
    throw new XmlSyntaxError(e instanceof Error ? e.message : String(e));
  }
  if (!root) throw new XmlSyntaxError('no root element');
  return root;
}

/**
 * Parses an upstream response body; XML problems become UpstreamErrors naming the upstream
 * (UPSTREAM_TOO_LARGE for the byte limit, UPSTREAM_BAD_RESPONSE otherwise).
 */
export function xmlFromResponse(res: UpstreamResponse, limits: Partial<XmlLimits> = {}): XmlElement {
  try {
    return parseXml(res.body, limits);
  } catch (e) {
    if (!(e instanceof XmlError)) throw e;
    const tooLarge = e instanceof XmlLimitError && e.limit === 'maxBytes';
    throw res.error(tooLarge ? 'UPSTREAM_TOO_LARGE' : 'UPSTREAM_BAD_RESPONSE', {
      cause: e,
      limitBytes: tooLarge ? (e as XmlLimitError).max : undefined,
      internal: { reason: e.message, bodySnippet: res.body.toString('utf8', 0, 512) },
    });
  }
}
