/**
 * One e2e run at a time on a machine: runs share the service port and the
 * e2e build, so a second run waits for the first instead of colliding with it.
 * The lock is a directory (mkdir is atomic) holding the owner's pid; a lock
 * whose owner is gone is taken over.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const LOCK_DIR = path.join(os.tmpdir(), 'expressai-e2e-run.lock');
const WAIT_LIMIT_MS = 30 * 60 * 1000;

/** The owner died, or never got to write its pid (a lock that young is still being taken). */
function abandoned(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(LOCK_DIR, 'pid'), 'utf8'));
  } catch {
    try {
      return Date.now() - statSync(LOCK_DIR).mtimeMs > 5000;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

/** Waits for the machine's e2e lock and returns its release. */
export async function acquireRunLock(): Promise<() => void> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  let told = false;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
      break;
    } catch {
      if (abandoned()) rmSync(LOCK_DIR, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`another e2e run has held ${LOCK_DIR} for 30 minutes`);
      if (!told) console.warn('[e2e] waiting for another e2e run on this machine to finish…');
      told = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  const release = () => rmSync(LOCK_DIR, { recursive: true, force: true });
  process.once('exit', release);
  return release;
}
