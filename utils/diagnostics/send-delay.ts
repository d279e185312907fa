/**
 * How long after it is due a report waits before it is sent: a random delay,
 * so reports do not arrive at the same moment every day. The bounds are fixed
 * at build time (`WXT_EXPRESSAI_DIAGNOSTICS_DELAY_MIN_MS` / `_MAX_MS`), which
 * lets the end-to-end build use seconds instead of hours.
 */
export interface SendDelayBounds {
  minMs: number;
  maxMs: number;
}

export const DEFAULT_SEND_DELAY: SendDelayBounds = { minMs: 60 * 60 * 1000, maxMs: 6 * 60 * 60 * 1000 };

const MAX_DELAY_MS = 24 * 60 * 60 * 1000;

function parseMs(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,9}$/.test(value.trim())) return undefined;
  const ms = Number(value.trim());
  return ms <= MAX_DELAY_MS ? ms : undefined;
}

/** Bounds from a `WXT_EXPRESSAI_*` environment; anything unreadable falls back to 1–6 hours. */
export function resolveSendDelay(env: Record<string, string | undefined>): SendDelayBounds {
  const minMs = parseMs(env.WXT_EXPRESSAI_DIAGNOSTICS_DELAY_MIN_MS);
  const maxMs = parseMs(env.WXT_EXPRESSAI_DIAGNOSTICS_DELAY_MAX_MS);
  if (minMs === undefined || maxMs === undefined || minMs > maxMs) return DEFAULT_SEND_DELAY;
  return { minMs, maxMs };
}

export const SEND_DELAY = resolveSendDelay(import.meta.env as unknown as Record<string, string | undefined>);

export function randomDelayMs(bounds: SendDelayBounds = SEND_DELAY, random: () => number = Math.random): number {
  return bounds.minMs + Math.floor(random() * (bounds.maxMs - bounds.minMs + 1));
}
