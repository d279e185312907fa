/**
 * Fault injection for tests: a queue per route, each entry applying to the
 * next N requests of that route, oldest entry first.
 */
import * as v from 'valibot';

export const FAULT_ROUTES = ['chat', 'models', 'token', 'userinfo', 'diagnostics'] as const;
export type FaultRoute = (typeof FAULT_ROUTES)[number];

/** Faults that only make sense on a streamed chat answer. */
const STREAM_FAULTS = new Set(['slow', 'cut', 'malformed']);

const ms = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(120_000));

export const FAULT_SCHEMA = v.variant('type', [
  /** Wait before the first byte of the response. */
  v.strictObject({ type: v.literal('delay'), ms }),
  /** Pause this long between streamed chunks. */
  v.strictObject({ type: v.literal('slow'), intervalMs: ms }),
  /** Drop the connection after this many content chunks (default: half the answer). */
  v.strictObject({ type: v.literal('cut'), afterChunks: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))) }),
  /** Send SSE lines a client must survive: broken JSON, unknown fields, a stray line. */
  v.strictObject({ type: v.literal('malformed') }),
  /** Answer with this status instead; 429 carries `Retry-After`. */
  v.strictObject({
    type: v.literal('status'),
    status: v.picklist([401, 429, 500]),
    retryAfterSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(86_400))),
  }),
]);

export type Fault = v.InferOutput<typeof FAULT_SCHEMA>;

export const QUEUE_FAULT_SCHEMA = v.pipe(
  v.strictObject({
    route: v.picklist(FAULT_ROUTES),
    count: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)), 1),
    fault: FAULT_SCHEMA,
  }),
  v.check((q) => q.route === 'chat' || !STREAM_FAULTS.has(q.fault.type), 'slow, cut and malformed apply to the chat route only'),
);

interface Queued {
  fault: Fault;
  remaining: number;
}

export class FaultQueue {
  readonly #queues = new Map<FaultRoute, Queued[]>();

  add(route: FaultRoute, fault: Fault, count: number): void {
    const queue = this.#queues.get(route) ?? [];
    queue.push({ fault, remaining: count });
    this.#queues.set(route, queue);
  }

  /** The fault for this request, if one is queued; consumes one use of it. */
  take(route: FaultRoute): Fault | undefined {
    const queue = this.#queues.get(route);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.fault;
  }

  pending(): Record<string, { fault: Fault; remaining: number }[]> {
    return Object.fromEntries([...this.#queues].map(([route, q]) => [route, q.map((e) => ({ ...e }))]));
  }

  clear(): void {
    this.#queues.clear();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
