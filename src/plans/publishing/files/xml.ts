// Just enough XML for spreadsheet files: writing escaped text, and reading a
// document into a tree with namespaces resolved (so `x:c` and `c` under the
// same namespace are the same element). No DTDs: a file that declares one is
// refused, so no entity can expand or reach outside the file.

/** Characters XML 1.0 cannot hold at all. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

export interface XmlAttribute {
  readonly ns: string;
  readonly local: string;
  readonly value: string;
}

export interface XmlElement {
  readonly ns: string;
  readonly local: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: (XmlElement | string)[];
}

export class XmlError extends Error {}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const NAME = /^[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?/;

function decode(text: string): string {
  return text.replace(/&(#x[0-9A-Fa-f]+|#\d+|[a-z]+);/g, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code = entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      if (!(code > 0 && code <= 0x10ffff)) throw new XmlError(`bad character reference ${whole}`);
      return String.fromCodePoint(code);
    }
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (!(entity in named)) throw new XmlError(`unknown entity ${whole}`);
    return named[entity]!;
  }).replace(/\r\n?/g, '\n');
}

/** Parses a whole document; throws XmlError when it is not well formed. */
export function parseXml(text: string): XmlElement {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const stack: { element: XmlElement; qname: string; scope: Map<string, string> }[] = [];
  let root: XmlElement | null = null;
  const fail = (what: string): never => {
    throw new XmlError(`${what} at character ${i}`);
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt < 0 ? text.length : lt);
    if (chunk !== '') {
      if (stack.length) stack.at(-1)!.element.children.push(decode(chunk));
      else if (chunk.trim() !== '') fail('text outside the root element');
    }
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) fail('unclosed comment');
      i = end + 3;
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) fail('unclosed processing instruction');
      i = end + 2;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9);
      if (end < 0 || !stack.length) fail('misplaced CDATA');
      stack.at(-1)!.element.children.push(text.slice(i + 9, end));
      i = end + 3;
    } else if (text.startsWith('<!', i)) {
      fail('a document type declaration (not allowed)');
    } else if (text.startsWith('</', i)) {
      const end = text.indexOf('>', i);
      const qname = text.slice(i + 2, end < 0 ? undefined : end).trim();
      const open = stack.pop();
      if (end < 0 || !open || open.qname !== qname) fail(`mismatched end tag </${qname}>`);
      i = end + 1;
      if (!stack.length) root = open!.element;
    } else {
      i++;
      const qname = NAME.exec(text.slice(i, i + 200))?.[0] ?? fail('a bad element name');
      i += qname.length;
      const raw: [string, string][] = [];
      for (;;) {
        while (/\s/.test(text[i] ?? '')) i++;
        if (text[i] === '>' || text.startsWith('/>', i)) break;
        const name = NAME.exec(text.slice(i, i + 200))?.[0] ?? fail('a bad attribute name');
        i += name.length;
        while (/\s/.test(text[i] ?? '')) i++;
        if (text[i] !== '=') fail('an attribute without a value');
        i++;
        while (/\s/.test(text[i] ?? '')) i++;
        const quote = text[i];
        if (quote !== '"' && quote !== "'") fail('an unquoted attribute');
        const end = text.indexOf(quote!, i + 1);
        if (end < 0) fail('an unclosed attribute');
        raw.push([name, decode(text.slice(i + 1, end))]);
        i = end + 1;
      }
      const selfClosing = text[i] === '/';
      i += selfClosing ? 2 : 1;
      const scope = new Map(stack.at(-1)?.scope ?? [['xml', XML_NS]]);
      for (const [name, value] of raw) {
        if (name === 'xmlns') scope.set('', value);
        else if (name.startsWith('xmlns:')) scope.set(name.slice(6), value);
      }
      const resolve = (name: string, element: boolean) => {
        const colon = name.indexOf(':');
        const prefix = colon < 0 ? '' : name.slice(0, colon);
        if (colon < 0 && !element) return { ns: '', local: name };
        const ns = scope.get(prefix);
        if (ns === undefined && prefix !== '') fail(`an undeclared prefix ${prefix}`);
        return { ns: ns ?? '', local: colon < 0 ? name : name.slice(colon + 1) };
      };
      const element: XmlElement = {
        ...resolve(qname, true),
        attributes: raw.filter(([name]) => name !== 'xmlns' && !name.startsWith('xmlns:')).map(([name, value]) => ({ ...resolve(name, false), value })),
        children: [],
      };
      if (stack.length) stack.at(-1)!.element.children.push(element);
      else if (root) fail('a second root element');
      if (selfClosing) {
        if (!stack.length) root = element;
      } else {
        if (stack.length > 200) fail('elements nested too deeply');
        stack.push({ element, qname, scope });
      }
    }
  }
  if (stack.length || !root) throw new XmlError('the document is incomplete');
  return root;
}

/** The element's children that are elements of `ns` named `local`. */
export function childrenOf(element: XmlElement, ns: string, local: string): XmlElement[] {
  return element.children.filter((child): child is XmlElement => typeof child !== 'string' && child.ns === ns && child.local === local);
}

export function childOf(element: XmlElement, ns: string, local: string): XmlElement | undefined {
  return childrenOf(element, ns, local)[0];
}

export function attribute(element: XmlElement, ns: string, local: string): string | undefined {
  return element.attributes.find((a) => a.ns === ns && a.local === local)?.value;
}

/** Every descendant element of `ns` named `local`, in document order. */
export function descendantsOf(element: XmlElement, ns: string, local: string): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (node: XmlElement) => {
    for (const child of node.children) {
      if (typeof child === 'string') continue;
      if (child.ns === ns && child.local === local) found.push(child);
      walk(child);
    }
  };
  walk(element);
  return found;
}
