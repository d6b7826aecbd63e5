/** An element of a parsed XML document: plain data. Text children keep their entity-decoded content. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly (XmlElement | string)[];
}

/** Bounds that keep a hostile file from costing more than a moment. */
export interface XmlLimits {
  readonly maxChars: number;
  readonly maxDepth: number;
  readonly maxNodes: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxChars: 8 * 1024 * 1024, maxDepth: 64, maxNodes: 500_000 };

/** Why a document was refused, with the line it happened on. */
export class XmlError extends Error {
  constructor(message: string, readonly line: number) {
    super(`${message} (line ${line})`);
    this.name = 'XmlError';
  }
}

const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;

/**
 * A small, strict XML parser for configuration files such as FileZilla's sitemanager.xml:
 * elements, attributes, text, CDATA, comments, processing instructions and the five predefined
 * plus numeric entities. DOCTYPE (and with it custom entities and their expansion bombs) is
 * refused, as are input, nesting and node counts past the limits. Never evaluates anything.
 */
export function parseXml(input: string, limits: XmlLimits = DEFAULT_XML_LIMITS): XmlElement {
  if (input.length > limits.maxChars) throw new XmlError(`the file is larger than ${limits.maxChars} characters`, 1);
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  let pos = 0;
  let nodes = 0;
  const lineAt = (at: number) => {
    let line = 1;
    for (let i = 0; i < at && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
    return line;
  };
  const fail = (message: string, at = pos): never => {
    throw new XmlError(message, lineAt(at));
  };
  const decode = (raw: string, at: number): string =>
    raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);|&/g, (match, body: string | undefined, offset: number) => {
      if (body === undefined) return fail('a bare "&" must be written &amp;', at + offset);
      if (body.startsWith('#')) {
        const code = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
        if (!(code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0x10ffff && code !== 0xfffe && code !== 0xffff))) {
          return fail(`${match} is not an allowed character`, at + offset);
        }
        return String.fromCodePoint(code);
      }
      return Object.hasOwn(NAMED, body) ? (NAMED[body] as string) : fail(`unknown entity ${match}`, at + offset);
    });
  const skipUntil = (end: string, what: string) => {
    const i = text.indexOf(end, pos);
    if (i < 0) fail(`unterminated ${what}`);
    pos = i + end.length;
  };
  const readName = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(text);
    if (!m) return fail('expected a name');
    pos += m[0].length;
    return m[0];
  };
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos] as string)) pos++;
  };
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (text.startsWith('<?', pos)) skipUntil('?>', 'processing instruction');
      else if (text.startsWith('<!--', pos)) skipUntil('-->', 'comment');
      else if (text.startsWith('<!DOCTYPE', pos) || text.startsWith('<!doctype', pos)) fail('DOCTYPE declarations are not accepted');
      else return;
    }
  };

  const readElement = (depth: number): XmlElement => {
    if (depth > limits.maxDepth) fail(`elements nest deeper than ${limits.maxDepth}`);
    if (++nodes > limits.maxNodes) fail(`more than ${limits.maxNodes} elements and texts`);
    pos++; // '<'
    const name = readName();
    const attributes: Record<string, string> = Object.create(null) as Record<string, string>;
    for (;;) {
      const before = pos;
      skipSpace();
      if (text.startsWith('/>', pos)) {
        pos += 2;
        return { name, attributes, children: [] };
      }
      if (text[pos] === '>') {
        pos++;
        break;
      }
      if (pos === before) fail(`malformed tag <${name}>`);
      const attr = readName();
      skipSpace();
      if (text[pos] !== '=') fail(`attribute ${attr} has no value`);
      pos++;
      skipSpace();
      const quote = text[pos];
      if (quote !== '"' && quote !== "'") return fail(`attribute ${attr} must be quoted`);
      const end = text.indexOf(quote, pos + 1);
      if (end < 0) fail(`unterminated attribute ${attr}`);
      const raw = text.slice(pos + 1, end);
      if (raw.includes('<')) fail(`"<" in attribute ${attr}`);
      if (Object.hasOwn(attributes, attr)) fail(`attribute ${attr} appears twice`);
      attributes[attr] = decode(raw, pos);
      pos = end + 1;
    }
    const children: (XmlElement | string)[] = [];
    for (;;) {
      if (pos >= text.length) fail(`<${name}> is never closed`);
      if (text.startsWith('</', pos)) {
        pos += 2;
        const closing = readName();
        if (closing !== name) fail(`</${closing}> closes <${name}>`);
        skipSpace();
        if (text[pos] !== '>') fail(`malformed </${closing}>`);
        pos++;
        return { name, attributes, children };
      }
      if (text.startsWith('<!--', pos)) skipUntil('-->', 'comment');
      else if (text.startsWith('<![CDATA[', pos)) {
        const start = pos + 9;
        skipUntil(']]>', 'CDATA section');
        pushText(children, text.slice(start, pos - 3));
      } else if (text.startsWith('<?', pos)) skipUntil('?>', 'processing instruction');
      else if (text.startsWith('<!', pos)) fail('declarations are not accepted inside elements');
      else if (text[pos] === '<') children.push(readElement(depth + 1));
      else {
        const next = text.indexOf('<', pos);
        const end = next < 0 ? text.length : next;
        pushText(children, decode(text.slice(pos, end), pos));
        pos = end;
      }
    }
  };
  const pushText = (children: (XmlElement | string)[], value: string) => {
    if (value === '') return;
    if (++nodes > limits.maxNodes) fail(`more than ${limits.maxNodes} elements and texts`);
    const last = children[children.length - 1];
    if (typeof last === 'string') children[children.length - 1] = last + value;
    else children.push(value);
  };

  skipMisc();
  if (text[pos] !== '<') fail('the document does not start with an element');
  const root = readElement(1);
  skipMisc();
  if (pos < text.length) fail('content after the root element');
  return root;
}

/** The direct child elements of `el`, optionally only those named `name`. */
export function childElements(el: XmlElement, name?: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string' && (name === undefined || c.name === name));
}

/** The first direct child element named `name`. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  return childElements(el, name)[0];
}

/** The element's own text (direct text children joined), without descendants' text. */
export function ownText(el: XmlElement): string {
  return el.children.filter((c): c is string => typeof c === 'string').join('');
}
