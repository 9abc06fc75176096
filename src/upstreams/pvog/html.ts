/**
 * Allow-list HTML sanitiser for PVOG text modules. Redaktionssysteme deliver HTML that may contain
 * anything (the sandbox plants <script> and onclick). We keep a small formatting vocabulary, drop
 * every attribute except a safe `href` on links, drop dangerous elements together with their content,
 * and unwrap every other element (keeping its text), so what reaches a browser cannot run code.
 */

const ALLOWED = new Set(['p', 'ul', 'ol', 'li', 'a', 'strong', 'em', 'br', 'h3', 'h4', 'h5', 'h6']);
const RENAMED: Record<string, string> = { b: 'strong', i: 'em' };
const VOID = new Set(['br']);
/** Elements whose content is code or otherwise never meant as text. */
const DROP_WITH_CONTENT = new Set(['script', 'style', 'iframe', 'object', 'embed', 'template', 'noscript', 'textarea', 'svg', 'math', 'head', 'title']);
const SAFE_SCHEMES = /^(https?:|mailto:)/i;

const TOKEN = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<![^>]*>|<\?[^>]*>|<\/?([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;

const escText = (s: string) => s.replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', auml: 'ä', ouml: 'ö', uuml: 'ü', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', szlig: 'ß', euro: '€', ndash: '–', mdash: '—', sect: '§' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(cp) && cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
    }
    return NAMED[e] ?? m;
  });
}

function safeHref(attrs: string): string | undefined {
  const m = /(?:^|\s)href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i.exec(attrs);
  if (!m) return undefined;
  // Browsers ignore control characters and whitespace in schemes ("java\tscript:") and decode entities first.
  const href = decodeEntities(m[1] ?? m[2] ?? m[3] ?? '').replace(/[\u0000-\u0020\u007f]/g, '');
  return SAFE_SCHEMES.test(href) ? href : undefined;
}

/** Sanitised HTML: only the allow-listed elements, balanced, no attributes but a safe href. */
export function sanitizeHtml(input: string): string {
  let out = '';
  const open: string[] = [];
  let dropping: string | null = null;
  let last = 0;
  for (const m of input.matchAll(TOKEN)) {
    const text = input.slice(last, m.index);
    last = m.index + m[0].length;
    if (!dropping) out += escText(text);
    const raw = m[1]?.toLowerCase();
    if (!raw) continue; // comment, CDATA, doctype, PI: dropped
    const closing = m[0][1] === '/';
    if (dropping) {
      if (closing && raw === dropping) dropping = null;
      continue;
    }
    if (DROP_WITH_CONTENT.has(raw)) {
      if (!closing && !m[0].endsWith('/>')) dropping = raw;
      continue;
    }
    const tag = RENAMED[raw] ?? raw;
    if (!ALLOWED.has(tag)) continue; // unwrap: keep the text, drop the element
    if (VOID.has(tag)) {
      if (!closing) out += `<${tag}>`;
      continue;
    }
    if (closing) {
      const at = open.lastIndexOf(tag);
      if (at === -1) continue;
      while (open.length > at) out += `</${open.pop()}>`;
      continue;
    }
    if (tag === 'a') {
      const href = safeHref(m[2] ?? '');
      out += href ? `<a href="${escAttr(href)}">` : '<a>';
    } else out += `<${tag}>`;
    open.push(tag);
  }
  if (!dropping) out += escText(input.slice(last));
  while (open.length) out += `</${open.pop()}>`;
  return out;
}

/** Plain text of (sanitised) HTML: list items as "- " lines, blocks separated by line breaks. */
export function htmlToText(html: string): string {
  const s = sanitizeHtml(html)
    .replace(/<li>/g, '\n- ')
    .replace(/<br>/g, '\n')
    .replace(/<\/(p|h[3-6]|ul|ol)>/g, '\n')
    .replace(/<[^>]*>/g, '');
  return decodeEntities(s)
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter((l) => l !== '')
    .join('\n');
}
