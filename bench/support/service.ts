/**
 * The local ExpressAI service for the bench, in test mode on
 * {@link BENCH_SERVICE_PORT}. It runs in its own process (server/main.ts), so
 * its pacing timers never wait behind the bench's own work with puppeteer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import path from 'node:path';
import * as oauth from 'oauth4webapi';
import { insecure, signIn, type TestService } from '../../test/server/helpers/service';
import { BENCH_SERVICE_ORIGIN, BENCH_SERVICE_PORT, REPO_ROOT } from './paths';

export interface BenchSpec {
  bytes: number;
  chunkChars: number;
  chunksPerSecond?: number;
}

export interface BenchService {
  url: string;
  /** The next chat answer is the bench document (`POST /__test/bench`). */
  benchNext(spec: BenchSpec): Promise<{ chunks: number }>;
  reset(): Promise<void>;
  /** A fresh access token for alice, signed in over HTTP the way the extension does (PKCE), for bench pages that call the API themselves. */
  accessToken(): Promise<string>;
  close(): Promise<void>;
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function waitForListening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the bench service did not start within 60 s:\n${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the bench service exited (code ${code}):\n${output}`));
    });
  });
}

export async function startBenchService(): Promise<BenchService> {
  if (await portInUse(BENCH_SERVICE_PORT)) {
    throw new Error(`port ${BENCH_SERVICE_PORT} is in use: is another bench running? The bench build is pointed at that port.`);
  }
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('server', 'main.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, EXPRESSAI_HOST: '127.0.0.1', EXPRESSAI_PORT: String(BENCH_SERVICE_PORT), EXPRESSAI_TEST_MODE: '1', EXPRESSAI_UPSTREAM_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killChild = () => child.kill('SIGKILL');
  process.once('exit', killChild);
  try {
    await waitForListening(child);
  } catch (error) {
    killChild();
    throw error;
  }
  child.stdout?.resume();
  child.stderr?.resume();

  const control = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${BENCH_SERVICE_ORIGIN}/__test/${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} /__test/${route}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const issuer = new URL(BENCH_SERVICE_ORIGIN);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
  const asTestService: TestService = { url: BENCH_SERVICE_ORIGIN, as, close: async () => {}, control: (m, p, b) => control(m, p, b) };

  return {
    url: BENCH_SERVICE_ORIGIN,
    benchNext: (spec) => control('POST', 'bench', spec),
    reset: async () => void (await control('POST', 'reset')),
    accessToken: async () => (await signIn(asTestService)).access_token,
    close: async () => {
      process.off('exit', killChild);
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(killChild, 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
