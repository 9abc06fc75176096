import { describe, expect, it } from 'vitest';
import { esc } from '../../src/formats/xml';
import { parseXml } from '../../src/upstreams/runtime/xml';

// XML 1.0 §2.4: `&` and `<` must be escaped in character data, `"`/`'` inside attribute values of that quote;
// the five predefined entities (§4.6) cover all of them, `>` for `]]>`.
describe('XML escaping of text and attribute values', () => {
  it('replaces each of the five special characters by its predefined entity, every occurrence', () => {
    expect(esc(`a & b < c > d " e ' f`)).toBe('a &amp; b &lt; c &gt; d &quot; e &apos; f');
    expect(esc('&&<<>>""\'\'')).toBe('&amp;&amp;&lt;&lt;&gt;&gt;&quot;&quot;&apos;&apos;');
    // `&` first: an entity in the input is escaped once, not twice
    expect(esc('&lt;')).toBe('&amp;lt;');
    expect(esc('Flurstücke')).toBe('Flurstücke');
  });

  it('round-trips through a conforming parser as text and as both kinds of attribute value', () => {
    const nasty = `Müller & Söhne <GmbH> "zitiert" 'auch' ]]>`;
    const doc = parseXml(`<r a="${esc(nasty)}" b='${esc(nasty)}'>${esc(nasty)}</r>`);
    expect(doc.text()).toBe(nasty);
    expect(doc.attr('a')).toBe(nasty);
    expect(doc.attr('b')).toBe(nasty);
  });
});
