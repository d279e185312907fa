/**
 * The service's mutable state, one object per running instance: settings that
 * test controls may change at runtime, counters, queued faults and the
 * diagnostics aggregates. Nothing in here outlives the process.
 */
import { emptyCounters, type Counters } from './counters';
import { DiagnosticsAggregates } from './diagnostics-aggregates';
import { FaultQueue } from './faults';
import type { MemoryStore } from './memory-store';
import type { Upstream } from './upstream';

export interface BenchSpec {
  bytes: number;
  chunkChars: number;
  /** Omitted: as fast as the client reads. */
  chunksPerSecond?: number;
}

export interface LastDiagnostics {
  /** The report exactly as accepted, parsed. */
  body: unknown;
  /** The request body byte for byte (as text), so a test can compare it with what the extension previewed. */
  text: string;
  hadCookie: boolean;
  hadAuthorization: boolean;
}

export interface ServiceState {
  testMode: boolean;
  sessionMaxSeconds: number;
  /** The configured access-token lifetime; `/__test/reset` returns to it. */
  defaultAccessTokenTtlSeconds: number;
  accessTokenTtlSeconds: number;
  upstream?: Upstream;
  store: MemoryStore;
  counters: Counters;
  faults: FaultQueue;
  diagnostics: DiagnosticsAggregates;
  /** The next chat answer, when a test asked for the bench document. */
  bench?: BenchSpec;
  /** Test mode only: the last accepted diagnostics report and which credentials came with it. */
  lastDiagnostics?: LastDiagnostics;
  /**
   * Test mode only: where the last finished sign-in sent the browser, code and
   * all. Its one reader is the e2e test that delivers a redirect twice, which
   * cannot rely on catching it in a window the browser closes as it arrives.
   */
  lastAuthorizationRedirect?: string;
}

export function createServiceState(init: Pick<ServiceState, 'testMode' | 'sessionMaxSeconds' | 'accessTokenTtlSeconds' | 'upstream' | 'store'>): ServiceState {
  return {
    ...init,
    defaultAccessTokenTtlSeconds: init.accessTokenTtlSeconds,
    counters: emptyCounters(),
    faults: new FaultQueue(),
    diagnostics: new DiagnosticsAggregates(),
  };
}

/** Back to a fresh start for the next test: counters, faults, bench, last report and redirect, token lifetime. Sessions stay. */
export function resetState(state: ServiceState): void {
  state.counters = emptyCounters();
  state.faults.clear();
  state.diagnostics = new DiagnosticsAggregates();
  state.accessTokenTtlSeconds = state.defaultAccessTokenTtlSeconds;
  delete state.bench;
  delete state.lastDiagnostics;
  delete state.lastAuthorizationRedirect;
}
