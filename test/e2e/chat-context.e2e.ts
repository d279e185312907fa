/**
 * Long conversations in real Chromium and Firefox against the local service:
 * a follow-up after a long answer goes through (the request is fitted to the
 * service's limits, and the answer says the model saw a shortened
 * conversation); a question too long for the model is refused before
 * anything is sent and stays in the box; once the budget is spent the
 * oldest turns are left out, and the conversation says so.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSERS } from './support/browsers';
import { ask, createMasterPassword, lastAnswer, questions } from './support/chat-page';
import { service } from './support/service-controls';
import { launchExtension, type ExtensionSession } from './support/session';
import { signInAs, textbox, waitForText } from './support/sign-in';
import { expectStorageAuditPasses } from './support/storage-audit';
import { pollFor } from './support/wait';

const PASSWORD = `context e2e ${randomUUID().slice(0, 8)} harbour`;
const CANARY = `quokka${randomBytes(6).toString('hex')}`;
const NOTE = '::-p-aria([name="Conversation shortened"][role="note"])';

/** Puts `text` in the message box at once (typing 30,000 characters key by key would take minutes). */
async function fillMessage(page: Page, text: string): Promise<void> {
  await page.bringToFront();
  const box = (await page.waitForSelector(textbox('Message')))!;
  await box.evaluate((el, value) => {
    const area = el as HTMLTextAreaElement;
    area.value = value;
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
  await box.focus();
}

async function askLong(page: Page, text: string): Promise<void> {
  const before = (await questions(page)).length;
  await fillMessage(page, text);
  await page.keyboard.press('Enter');
  await pollFor(async () => ((await questions(page)).length > before ? true : undefined), { what: 'the long question to appear' });
}

const words = (chars: number, seed: string) => `${seed} ${'lorem ipsum dolor sit amet '.repeat(Math.ceil(chars / 27))}`.slice(0, chars);

describe.each(BROWSERS)('%s: long conversations', (name) => {
  let session: ExtensionSession;
  let popup: Page;

  beforeAll(async () => {
    await service.reset();
    session = await launchExtension(name);
    popup = await signInAs(session, 'alice');
    await createMasterPassword(popup, PASSWORD);
  });
  afterAll(async () => {
    await service.reset().catch(() => undefined);
    await session?.close();
  });

  it('a follow-up after a long answer goes through, and the answer notes the conversation was shortened', async () => {
    await service.bench(40_000);
    await ask(popup, `Write me a long report ${CANARY}`);
    const report = await lastAnswer(popup, (a) => a.status !== 'streaming', 60_000);
    expect(report.status).toBe('complete');
    expect(report.markdown).toContain('Section 10');
    expect(await popup.$(NOTE)).toBeNull();

    await ask(popup, `Summarize that ${CANARY}`);
    const summary = await lastAnswer(popup);
    expect(summary.alert).toBe('');
    expect(summary.status).toBe('complete');
    expect(summary.markdown).toContain('This is message 2 of the conversation');
    const note = (await popup.waitForSelector(NOTE))!;
    expect(await note.evaluate((el) => (el as HTMLElement).innerText)).toBe('An earlier message was shortened to fit the model’s limit.');
    await expectStorageAuditPasses(session);
  }, 120_000);

  it('a question too long for the model is refused in plain words, nothing is sent, and the text stays in the box', async () => {
    const before = (await service.counters()).chatRequests;
    const shown = await questions(popup);
    const tooLong = words(40_000, CANARY);
    await fillMessage(popup, tooLong);
    await popup.keyboard.press('Enter');
    await waitForText(popup, 'Your message is too long for this model (40,000 characters; at most 32,000).');
    const box = (await popup.waitForSelector(textbox('Message')))!;
    expect(await box.evaluate((el) => (el as HTMLTextAreaElement).value)).toBe(tooLong);
    expect(await questions(popup)).toEqual(shown);
    expect((await service.counters()).chatRequests).toBe(before);
    await fillMessage(popup, '');
  });

  it('once the budget is spent the oldest turns are left out, the newest question goes whole, and the conversation says so', async () => {
    for (const seed of ['first', 'second', 'third']) {
      await askLong(popup, words(31_000, `${seed} ${CANARY}`));
      expect((await lastAnswer(popup)).status).toBe('complete');
    }
    await ask(popup, `What now ${CANARY}`);
    const answer = await lastAnswer(popup);
    expect(answer.status).toBe('complete');
    // The dev model counts the questions it was sent: fewer than the six asked.
    const counted = Number(/This is message (\d+) of the conversation/.exec(answer.markdown)?.[1]);
    expect(counted).toBeGreaterThan(1);
    expect(counted).toBeLessThan(6);
    expect(await (await popup.waitForSelector(NOTE))!.evaluate((el) => (el as HTMLElement).innerText)).toBe(
      'Earlier messages were left out to fit the model’s limit.',
    );
    // Only the newest answer carries the note.
    expect(await popup.$$eval('[role="note"]', (notes) => notes.length)).toBe(1);
    await expectStorageAuditPasses(session);
    expect(JSON.stringify(await session.dumpStorage())).not.toContain(CANARY);
  }, 120_000);

  it('logged no errors', () => {
    expect(session.consoleErrors()).toEqual([]);
  });
});
