import { describe, expect, it } from 'vitest';
import { child, childElements, ownText, parseXml, XmlError } from '../../main/profiles/xml-parser';

describe('parseXml', () => {
  it('parses elements, attributes, mixed text, CDATA, comments and processing instructions', () => {
    const doc = parseXml(`\uFEFF<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>
<!-- leading comment -->
<root a="1" b='two &amp; &quot;three&quot;'>
  Name &lt;x&gt; &#65;&#x42;&apos;
  <empty/>
  <item k="v">text<!-- inner --> more<![CDATA[<raw> & ]]></item>
  <?pi data?>
</root>
<!-- trailing -->`);
    expect(doc.name).toBe('root');
    expect(doc.attributes).toEqual({ a: '1', b: 'two & "three"' });
    expect(ownText(doc).trim()).toBe("Name <x> AB'");
    expect(childElements(doc).map((e) => e.name)).toEqual(['empty', 'item']);
    expect(child(doc, 'empty')?.children).toEqual([]);
    expect(ownText(child(doc, 'item')!)).toBe('text more<raw> & ');
  });

  it('keeps attribute maps free of prototype tricks', () => {
    const doc = parseXml('<r __proto__="x" constructor="y"/>');
    expect(doc.attributes.__proto__).toBe('x');
    expect(Object.getPrototypeOf(doc.attributes)).toBeNull();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  const bad: [string, RegExp][] = [
    ['', /does not start with an element/],
    ['just text', /does not start with an element/],
    ['<a>', /never closed/],
    ['<a></b>', /<\/b> closes <a>/],
    ['<a b=c/>', /must be quoted/],
    ['<a b="1" b="2"/>', /appears twice/],
    ['<a>&bogus;</a>', /unknown entity &bogus;/],
    ['<a>x & y</a>', /bare "&"/],
    ['<a>&#0;</a>', /not an allowed character/],
    ['<a>&#x110000;</a>', /not an allowed character/],
    ['<!DOCTYPE lolz [<!ENTITY lol "lol">]><a>&lol;</a>', /DOCTYPE/],
    ['<a><!ENTITY x "y"></a>', /declarations are not accepted/],
    ['<a/><b/>', /content after the root/],
    ['<a><!-- never ends</a>', /unterminated comment/],
    ['<a><![CDATA[ open</a>', /unterminated CDATA/],
    ['<a b="<"/>', /"<" in attribute/],
  ];
  it.each(bad)('refuses %j', (xml, message) => {
    expect(() => parseXml(xml)).toThrow(message);
  });

  it('reports the line of an error', () => {
    expect(() => parseXml('<a>\n<b>\n</c>\n</a>')).toThrow(/line 3/);
    try {
      parseXml('<a>\n\n&nope;</a>');
    } catch (err) {
      expect(err).toBeInstanceOf(XmlError);
      expect((err as XmlError).line).toBe(3);
    }
  });

  it('enforces size, depth and node limits quickly', () => {
    const limits = { maxChars: 1000, maxDepth: 10, maxNodes: 50 };
    expect(() => parseXml(`<a>${'x'.repeat(1000)}</a>`, limits)).toThrow(/larger than 1000/);
    expect(() => parseXml(`${'<a>'.repeat(11)}${'</a>'.repeat(11)}`, limits)).toThrow(/deeper than 10/);
    expect(() => parseXml(`<a>${'<b/>'.repeat(60)}</a>`, limits)).toThrow(/more than 50/);
    const started = Date.now();
    expect(() => parseXml('<a>'.repeat(200_000))).toThrow(/deeper than 64/);
    expect(() => parseXml(`<r>${'<s>x</s>'.repeat(300_000)}</r>`)).toThrow(/more than 500000/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
