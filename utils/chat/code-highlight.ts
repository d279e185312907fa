/**
 * Syntax highlighting for fenced code in answers: highlight.js core with a
 * small, fixed set of languages, each loaded the first time an answer uses
 * it. This module itself is loaded on demand (see code-highlighter.ts): a
 * page that shows no code never loads highlight.js.
 */
import hljs from 'highlight.js/lib/core';
import type { LanguageFn } from 'highlight.js';

const LANGUAGES: Record<string, () => Promise<{ default: LanguageFn }>> = {
  bash: () => import('highlight.js/lib/languages/bash'),
  c: () => import('highlight.js/lib/languages/c'),
  cpp: () => import('highlight.js/lib/languages/cpp'),
  css: () => import('highlight.js/lib/languages/css'),
  go: () => import('highlight.js/lib/languages/go'),
  java: () => import('highlight.js/lib/languages/java'),
  javascript: () => import('highlight.js/lib/languages/javascript'),
  json: () => import('highlight.js/lib/languages/json'),
  python: () => import('highlight.js/lib/languages/python'),
  rust: () => import('highlight.js/lib/languages/rust'),
  shell: () => import('highlight.js/lib/languages/shell'),
  sql: () => import('highlight.js/lib/languages/sql'),
  typescript: () => import('highlight.js/lib/languages/typescript'),
  xml: () => import('highlight.js/lib/languages/xml'),
};

/** The aliases those language definitions declare (known before they load), plus `html` and `svg` for XML. */
const ALIASES: Record<string, string> = {
  sh: 'bash', zsh: 'bash', h: 'c', cc: 'cpp', 'c++': 'cpp', 'h++': 'cpp', hpp: 'cpp', hh: 'cpp', hxx: 'cpp', cxx: 'cpp',
  golang: 'go', jsp: 'java', js: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript',
  jsonc: 'json', json5: 'json', py: 'python', gyp: 'python', ipython: 'python', rs: 'rust', console: 'shell',
  shellsession: 'shell', ts: 'typescript', tsx: 'typescript', mts: 'typescript', cts: 'typescript',
  html: 'xml', xhtml: 'xml', rss: 'xml', atom: 'xml', xjb: 'xml', xsd: 'xml', xsl: 'xml', plist: 'xml', wsf: 'xml', svg: 'xml',
};

const loading = new Map<string, Promise<boolean>>();

/** The language's own name, or undefined when we do not carry it. */
function canonical(language: string): string | undefined {
  const name = Object.hasOwn(ALIASES, language) ? ALIASES[language]! : language;
  return Object.hasOwn(LANGUAGES, name) ? name : undefined;
}

/** Loads a language (once); resolves false for a language we do not carry or one that failed to load. */
export function loadLanguage(language: string): Promise<boolean> {
  const name = canonical(language);
  if (!name) return Promise.resolve(false);
  let loaded = loading.get(name);
  if (!loaded) {
    loaded = LANGUAGES[name]!().then(
      (module) => {
        hljs.registerLanguage(name, module.default);
        return true;
      },
      () => {
        loading.delete(name);
        return false;
      },
    );
    loading.set(name, loaded);
  }
  return loaded;
}

/**
 * Longer code is shown plain. highlight.js runs a block in one go, and its
 * slowest grammar here (TypeScript) takes about 3 ms per 1,000 characters on
 * a busy 2-core machine: this keeps every block well under a 50 ms task.
 */
export const MAX_HIGHLIGHT_CHARS = 10_000;

/**
 * Highlighted HTML for a code block, or `undefined` for a language that is
 * not loaded ({@link loadLanguage}) or code too long. highlight.js escapes the
 * code; its output holds only `<span class>` markup.
 */
export function highlightCode(code: string, language: string): string | undefined {
  const name = canonical(language);
  if (!name || code.length > MAX_HIGHLIGHT_CHARS || !hljs.getLanguage(name)) return undefined;
  return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
}
