/**
 * A private X display for a headed Chromium (see `LaunchOptions.nativeDialogs`):
 * Xvfb, started per session on a display number it picks itself, with its
 * screen memory-mapped to a file so tests can tell when the screen changes
 * without a screenshot tool. Killed on close, and when the test process
 * exits before that.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer';
import { E2E_TIMEOUT_MS } from './browsers';
import { withTimeout } from './wait';

export const SCREEN = { width: 1280, height: 1024 };

export interface VirtualScreen {
  /** The `DISPLAY` value, e.g. `:99`. */
  readonly display: string;
  /** The whole screen's pixels as they are now (XWD bytes). */
  pixels(): Buffer;
  /** Runs `xdotool` on this display and returns its output. */
  xdotool(...args: string[]): string;
  stop(): Promise<void>;
}

const live = new Set<{ process: ChildProcess; dir: string }>();
process.once('exit', () => {
  for (const { process: xvfb, dir } of live) {
    xvfb.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

function requireTools(): void {
  const missing = ['Xvfb', 'xdotool'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(' and ')} not found. A headed Chromium that answers the browser's own dialogs needs Xvfb and xdotool: ` +
        'apt-get install -y --no-install-recommends xvfb xdotool (.ci/run installs them when missing).',
    );
  }
}

export async function startXvfb(): Promise<VirtualScreen> {
  requireTools();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'expressai-e2e-xvfb-'));
  // -displayfd: Xvfb takes the first free display and writes its number to fd 3, so parallel runs never collide.
  // -terminate: it exits by itself once its last client (the browser) is gone, even if this process was killed.
  const args = ['-displayfd', '3', '-screen', '0', `${SCREEN.width}x${SCREEN.height}x24`, '-fbdir', dir, '-nolisten', 'tcp', '-terminate'];
  const xvfb = spawn('Xvfb', args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  const entry = { process: xvfb, dir };
  live.add(entry);
  let stderr = '';
  xvfb.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
  const stop = async () => {
    if (!live.delete(entry)) return;
    if (xvfb.exitCode === null && xvfb.signalCode === null) {
      const exited = new Promise((resolve) => xvfb.once('exit', resolve));
      xvfb.kill('SIGTERM');
      await withTimeout(exited, 10_000, 'Xvfb to exit').catch(() => xvfb.kill('SIGKILL'));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const number = await withTimeout(
      new Promise<string>((resolve, reject) => {
        let out = '';
        xvfb.stdio[3]!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(out.trim());
        });
        xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it was ready: ${stderr.trim()}`)));
        xvfb.once('error', reject);
      }),
      E2E_TIMEOUT_MS,
      'Xvfb to start',
    );
    const display = `:${number}`;
    const framebuffer = path.join(dir, 'Xvfb_screen0');
    return {
      display,
      pixels: () => readFileSync(framebuffer),
      xdotool(...args) {
        const run = spawnSync('xdotool', args, { env: { ...process.env, DISPLAY: display }, encoding: 'utf8', timeout: E2E_TIMEOUT_MS });
        if (run.status !== 0) throw new Error(`xdotool ${args.join(' ')} failed: ${(run.stderr || String(run.error ?? run.status)).trim()}`);
        return run.stdout;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

const screens = new WeakMap<Browser, VirtualScreen>();

/** Remembers which screen a headed browser shows on. */
export function attachScreen(browser: Browser, screen: VirtualScreen): void {
  screens.set(browser, screen);
}

/** The screen of a browser launched with `nativeDialogs`, if it was. */
export function screenOf(browser: Browser): VirtualScreen | undefined {
  return screens.get(browser);
}
