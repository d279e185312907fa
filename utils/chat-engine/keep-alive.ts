/**
 * Keeps the background alive while an answer streams, so closing the popup
 * does not end the answer. Chrome stops an idle service worker after 30 s but
 * counts every extension API call as activity; Firefox stops an idle event
 * page after 30 s unless an event arrives, so an alarm fires every 15 s.
 * Should the background die anyway, the answer's progress is already saved
 * and reads as interrupted, with Retry.
 */
import { browser } from 'wxt/browser';

export const KEEP_ALIVE_ALARM = 'chat-keep-alive';
const CALL_INTERVAL_MS = 20_000;
const ALARM_PERIOD_MINUTES = 0.25;

export interface KeepAlive {
  /** Holds the background up until the returned release is called (once). */
  hold(): () => void;
}

export function createKeepAlive(firefox = Boolean(import.meta.env.FIREFOX)): KeepAlive {
  let holders = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  const quietly = (promise: Promise<unknown>) => void promise.catch(() => undefined);

  const start = () => {
    timer = setInterval(() => quietly(browser.runtime.getPlatformInfo()), CALL_INTERVAL_MS);
    if (firefox) quietly(browser.alarms.create(KEEP_ALIVE_ALARM, { periodInMinutes: ALARM_PERIOD_MINUTES }));
  };
  const stop = () => {
    clearInterval(timer);
    timer = undefined;
    if (firefox) quietly(browser.alarms.clear(KEEP_ALIVE_ALARM));
  };

  return {
    hold() {
      if (holders++ === 0) start();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (--holders === 0) stop();
      };
    },
  };
}
