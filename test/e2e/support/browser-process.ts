/**
 * Browser processes and their temporary profiles: created per session and
 * removed on close, and also when the test process dies before `close()` ran
 * (a timeout, a crash), so no browser outlives the run on a 2-core machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer';
import type { BrowserName } from './browsers';
import { withTimeout } from './wait';

interface Live {
  profileDir: string;
  pid?: number;
}

const live = new Set<Live>();

function killGroup(pid: number): void {
  // Puppeteer starts the browser detached, in its own process group: take the helpers along.
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
      return;
    } catch {
      // already gone, or not a group leader
    }
  }
}

function cleanUpNow(): void {
  for (const entry of live) {
    if (entry.pid) killGroup(entry.pid);
    rmSync(entry.profileDir, { recursive: true, force: true, maxRetries: 3 });
  }
  live.clear();
}

// Puppeteer's own signal handlers are off (see LAUNCH_SIGNAL_OPTIONS): these kill and clean up synchronously.
process.once('exit', cleanUpNow);
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  process.once(signal, () => {
    cleanUpNow();
    process.exit(code);
  });
}
// A vitest fork whose parent was killed is re-parented and would run on, browsers and all.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) process.exit(1);
}, 2_000).unref();

/** Passed to `puppeteer.launch`: this module owns signal handling for every browser. */
export const LAUNCH_SIGNAL_OPTIONS = { handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false } as const;

export interface BrowserProcess {
  readonly profileDir: string;
  /** Call once the browser is up, so an unexpected exit can kill it. */
  adopt(browser: Browser): void;
  /** Closes the browser (killing it if it hangs) and removes the profile. Idempotent. */
  shutdown(): Promise<void>;
}

/** `profileDir`: start from an existing profile (a restarted browser, see restart.ts); it is removed on shutdown like a fresh one. */
export function createBrowserProcess(name: BrowserName, profileDir?: string): BrowserProcess {
  const entry: Live = { profileDir: profileDir ?? mkdtempSync(path.join(os.tmpdir(), `expressai-e2e-${name}-`)) };
  live.add(entry);
  let browser: Browser | undefined;
  let done: Promise<void> | undefined;
  return {
    profileDir: entry.profileDir,
    adopt(b) {
      browser = b;
      entry.pid = b.process()?.pid;
    },
    shutdown() {
      done ??= (async () => {
        try {
          if (browser) await withTimeout(browser.close(), 20_000, `closing ${name}`);
        } catch {
          if (entry.pid) killGroup(entry.pid);
        }
        await rm(entry.profileDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
        live.delete(entry);
      })();
      return done;
    },
  };
}
