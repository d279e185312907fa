/** Markdown generators and fixtures shared by the chat rendering tests. */
import fc from 'fast-check';

/** Lines chosen to hit the constructs whose meaning depends on what comes next. */
const LINES = [
  '', '', '', '  ', 'Plain words here.', 'more text with **bold**, *em* and `code`', 'café ☕ 𝄞 naïve',
  '[link](https://example.com/a)', '[bad](javascript:alert(1))', '<https://auto.example>', 'see https://bare.example/x',
  '[ref][r1] and [r2] and [missing][]', '![pic](https://img.example/p.png)', '![data](data:image/png;base64,AAAA)',
  '# Heading', '## Sub *heading*', '###### six', '#not heading', '===', '---', '***', '- - -', '___',
  '- item', '* star', '+ plus', '1. one', '2) two', '10. ten', '  - nested', '   1. nested num', '    deeper', '-', '1.',
  '> quote', '>> deep quote', '> - quoted item', '>', '> ```',
  '```', '```js', '```python extra', '~~~', '````', '  ```', '   ~~~ts', '``` `x`',
  '    indented code', '\tTabbed code', '-\ttab item',
  '| a | b |', '|---|:-:|', 'a | b', '| 1 | 2 |',
  '[r1]: https://r1.example', '[r2]: https://r2.example "Title"', '[R1]: https://other.example', '[r1]:', '  https://multi.example',
  "'quoted title'", "'a title that", "spans lines'", '[r3]: javascript:alert(1)',
  '<div>', '<script>alert(1)</script>', '&lt;b&gt; &amp; &#106;', '\\# escaped',
];

/** Random markdown built from {@link LINES}, sometimes with CRLF line ends. */
export const markdownText = fc
  .tuple(fc.array(fc.constantFrom(...LINES), { maxLength: 40 }), fc.boolean(), fc.boolean())
  .map(([lines, trailing, crlf]) => {
    const text = lines.join('\n') + (trailing ? '\n' : '');
    return crlf ? text.replace(/\n/g, '\r\n') : text;
  });

/** Splits `text` at the given fractions; chunks may cut surrogate pairs, CRLF and markup anywhere. */
export function splitAt(text: string, fractions: number[]): string[] {
  const cuts = [...new Set(fractions.map((f) => Math.floor(f * text.length)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const cut of cuts) {
    if (cut > from) chunks.push(text.slice(from, cut));
    from = Math.max(from, cut);
  }
  chunks.push(text.slice(from));
  return chunks;
}

/** Model output that tries to get script, markup or dangerous links into the page. */
export const HOSTILE_MARKDOWN = [
  '[a](javascript:alert(1))',
  '[b](JaVaScRiPt:alert(1))',
  '[c](&#106;avascript:alert(1))',
  '[d](&#x6A;&#x61;vascript:alert(1))',
  '[e](jav&#x09;ascript:alert(1))',
  '[f](java\tscript:alert(1))',
  '[g]( javascript:alert(1) )',
  '[h](<javascript:alert(1)>)',
  '[i](vbscript:msgbox(1))',
  '[j](VBScript:msgbox(1))',
  '[k](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[l](data:image/svg+xml,<svg onload=alert(1)>)',
  '[m](file:///etc/passwd)',
  '[n](http://plain-http.example)',
  '[o](/relative/path)',
  '[p](//protocol-relative.example)',
  '[q](#fragment)',
  '<javascript:alert(1)>',
  '<data:text/html,hi>',
  '[r][evil]\n\n[evil]: javascript:alert(1)',
  '[s][evil2]\n\n[evil2]: data:text/html,x',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)><circle/></svg>',
  '<iframe src="https://evil.example"></iframe>',
  '<object data="x.swf"></object><embed src="x.swf">',
  '<a href="javascript:alert(1)">raw anchor</a>',
  '<div onclick="alert(1)">x</div>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;img src=x onerror=alert(1)&#62;',
  '![tracker](https://attacker.example/pixel.png?user=1)',
  '![x](javascript:alert(1))',
  '![y](data:image/png;base64,iVBORw0KGgo=)',
  '![z](http://attacker.example/p.png)',
  '[![img in link](https://attacker.example/a.png)](https://ok.example)',
  '[t](https://ok.example "title\\" onmouseover=\\"alert(1)")',
  '`<script>alert(1)</script>`',
  '```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```',
  '```"><img src=x onerror=alert(1)>\ncode\n```',
  '| <script>x</script> | [a](javascript:x) |\n|---|---|\n| <img onerror=y> | ok |',
  'www.example.com and http://insecure.example and mailto:someone@example.com',
  '[u](https://user:pass@evil.example/)',
  '[v](https://xn--e1awd7f.example/)',
  '[w](mailto:alert@example.com?subject=<script>)',
];
