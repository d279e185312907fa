/**
 * Event counters that tests read through `/__test/counters`. They count
 * events only: no token, code, account or timestamp is ever attached.
 */
export interface Counters {
  /** Token-endpoint calls by `grant_type` (`authorization_code`, `refresh_token`, or `unknown`). */
  tokenRequests: Record<string, number>;
  /** A code presented a second time; the service refused it and revoked its grant. */
  codeReuse: number;
  /** A rotated refresh token presented again; the service revoked the whole grant. */
  refreshTokenReuse: number;
  /** Successful calls to the revocation endpoint. */
  revocations: number;
  chatRequests: number;
  /** Reports accepted by the diagnostics intake (rejected ones are not counted). */
  diagnosticsReceived: number;
}

export function emptyCounters(): Counters {
  return { tokenRequests: {}, codeReuse: 0, refreshTokenReuse: 0, revocations: 0, chatRequests: 0, diagnosticsReceived: 0 };
}

const KNOWN_GRANT_TYPES = new Set(['authorization_code', 'refresh_token']);

export function countTokenRequest(counters: Counters, grantType: unknown): void {
  // Only known names become keys, so a caller cannot grow the map with junk.
  const key = typeof grantType === 'string' && KNOWN_GRANT_TYPES.has(grantType) ? grantType : 'unknown';
  counters.tokenRequests[key] = (counters.tokenRequests[key] ?? 0) + 1;
}
