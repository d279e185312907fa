/**
 * Syntax highlighting for fenced code in answers: highlight.js core with a
 * small, fixed set of languages, so the bundle carries only what chats use.
 */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';

const LANGUAGES = { bash, c, cpp, css, go, java, javascript, json, python, rust, shell, sql, typescript, xml };
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);
hljs.registerAliases(['html', 'svg'], { languageName: 'xml' });

/** A fence's info word as a safe class suffix, or '' when it is not a plain language name. */
export function languageOf(info: string): string {
  const word = info.trim().split(/\s+/, 1)[0] ?? '';
  return /^[\w+#.-]{1,32}$/.test(word) ? word.toLowerCase() : '';
}

/** Longer code is shown plain: highlighting it would block the page for a noticeable time. */
export const MAX_HIGHLIGHT_CHARS = 20_000;

/**
 * Highlighted HTML for a code block, or `undefined` for a language we do not
 * carry. highlight.js escapes the code; its output holds only `<span class>` markup.
 */
export function highlightCode(code: string, language: string): string | undefined {
  if (!language || code.length > MAX_HIGHLIGHT_CHARS || !hljs.getLanguage(language)) return undefined;
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}
