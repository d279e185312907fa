// @vitest-environment happy-dom
/**
 * The stream watch must see the end of the real bench document as the
 * product renders it, and must not be fooled by an earlier conversation that
 * ends the same way: otherwise the bench would time out, or time nothing.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { benchDocument } from '../../server/bench-document';
import { StreamingMarkdown } from '@/utils/chat/streaming-markdown';
import { installProbe, installReadyCheck, watchStream, type ProbeState } from '../support/probe';

type Probe = ProbeState & { checks: ((t: number) => void)[] };
const probe = () => (globalThis as unknown as { __benchProbe: Probe }).__benchProbe;
const runChecks = (t: number) => [...probe().checks].forEach((check) => check(t));

/** The product's renderer, made to draw at once instead of on the next animation frame. */
function rendered(host: HTMLElement, text: string, streaming: boolean): void {
  const renderer = new StreamingMarkdown(host, { schedule: () => () => {} });
  renderer.update(text, streaming);
  renderer.flushNow();
}

function bubble(log: HTMLElement, text: string, streaming = false): HTMLElement {
  const article = document.createElement('article');
  log.append(article);
  rendered(article, text, streaming);
  return article;
}

function userTurn(log: HTMLElement, text: string): void {
  const p = document.createElement('p');
  p.textContent = text;
  log.append(p);
}

describe('the in-page probe', () => {
  const doc = benchDocument(60 * 1024);
  let log: HTMLElement;

  beforeEach(() => {
    delete (globalThis as { __benchProbe?: unknown }).__benchProbe;
    document.body.innerHTML = '<div role="log" aria-label="Conversation"></div>';
    log = document.querySelector('[role="log"]')!;
    installProbe();
  });

  it('marks the first text and then the last chunk of the rendered bench document, after the prompt', () => {
    watchStream('bench run 7');
    userTurn(log, 'bench run 7');
    runChecks(10);
    expect(probe().seen).toEqual({ promptShown: 10 });

    const answer = bubble(log, doc.slice(0, 400), true);
    runChecks(20);
    expect(probe().seen).toMatchObject({ firstText: 20 });
    expect(probe().seen).not.toHaveProperty('lastChunk');

    // Everything but the last character: "Point thre" is not "Point three".
    answer.remove();
    bubble(log, doc.trimEnd().slice(0, -1), true);
    runChecks(30);
    expect(probe().seen).not.toHaveProperty('lastChunk');

    log.lastElementChild!.remove();
    bubble(log, doc, false);
    runChecks(40);
    expect(probe().seen).toMatchObject({ promptShown: 10, firstText: 20, lastChunk: 40 });
  });

  it('marks the first text even when a long first batch pushes the answer start out of the text it reads', () => {
    watchStream('bench run 3');
    userTurn(log, 'bench run 3');
    runChecks(1);
    bubble(log, doc.slice(0, 30_000), true);
    runChecks(2);
    expect(probe().seen).toEqual({ promptShown: 1, firstText: 2 });
  });

  it('ignores a finished answer from an earlier conversation until the new prompt shows', () => {
    userTurn(log, 'bench run 1');
    bubble(log, doc);
    watchStream('bench run 2');
    runChecks(5);
    expect(probe().seen).toEqual({});

    userTurn(log, 'bench run 2');
    runChecks(6);
    expect(probe().seen).toEqual({ promptShown: 6 });
  });

  it('tells which control a page shows first, and stops looking once the message box is there', () => {
    installReadyCheck();
    document.body.innerHTML = '<button>Sign in</button>';
    runChecks(3);
    expect(probe().seen).toEqual({ 'sign-in button': 3 });
    document.body.innerHTML = '<textarea aria-label="Message"></textarea>';
    // happy-dom lays nothing out; the probe asks for a rendered box.
    (document.querySelector('textarea') as HTMLElement).getClientRects = () => [{}] as unknown as DOMRectList;
    runChecks(4);
    expect(probe().seen).toMatchObject({ 'message box': 4 });
    expect(probe().checks).toHaveLength(0);
  });
});
