/**
 * oidc-provider's storage, in memory and per service instance. The library's
 * own memory adapter is one store per process, so two services started by
 * one test run would share their grants; this one also lets test controls end
 * every session at once. Nothing is written to disk: a restart signs everyone out.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  /** Epoch milliseconds; Infinity when the model has no expiry. */
  expiresAt: number;
}

/** Models that tie to a grant, so revoking the grant removes them. */
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

/**
 * Expired entries are kept this much longer: oidc-provider checks expiry
 * itself, and a token it can still find can be refused as "expired" rather
 * than "unknown", which tells a client to refresh instead of signing in again.
 */
const EXPIRED_GRACE_SECONDS = 600;

/** What "end every session" removes: sign-ins, grants and every token issued from them. */
const SESSION_MODELS = new Set(['Session', 'Grant', ...GRANTABLE]);

export class MemoryStore {
  readonly #entries = new Map<string, Entry>();
  readonly #grantMembers = new Map<string, Set<string>>();
  readonly #sessionUids = new Map<string, string>();
  readonly #userCodes = new Map<string, string>();

  /** The adapter factory oidc-provider calls once per model name. */
  readonly adapter = (model: string): Adapter => new StoreAdapter(this, model);

  get(key: string): AdapterPayload | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  set(model: string, id: string, payload: AdapterPayload, expiresIn: number | undefined): void {
    const key = `${model}:${id}`;
    this.delete(key);
    const expiresAt = typeof expiresIn === 'number' ? Date.now() + (expiresIn + EXPIRED_GRACE_SECONDS) * 1000 : Infinity;
    this.#entries.set(key, { payload: structuredClone(payload), expiresAt });
    if (GRANTABLE.has(model) && payload.grantId) {
      const members = this.#grantMembers.get(payload.grantId) ?? new Set();
      this.#grantMembers.set(payload.grantId, members.add(key));
    }
    if (model === 'Session' && payload.uid) this.#sessionUids.set(payload.uid, id);
    if (payload.userCode) this.#userCodes.set(payload.userCode, id);
    if (this.#entries.size % 500 === 0) this.#sweep();
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    const { grantId, uid, userCode } = entry.payload;
    if (grantId) this.#grantMembers.get(grantId)?.delete(key);
    if (uid) this.#sessionUids.delete(uid);
    if (userCode) this.#userCodes.delete(userCode);
  }

  revokeByGrantId(grantId: string): void {
    for (const key of this.#grantMembers.get(grantId) ?? []) this.delete(key);
    this.#grantMembers.delete(grantId);
  }

  idForSessionUid(uid: string): string | undefined {
    return this.#sessionUids.get(uid);
  }

  idForUserCode(userCode: string): string | undefined {
    return this.#userCodes.get(userCode);
  }

  /** Ends every sign-in session and grant, with all codes and tokens. Returns how many grants ended. */
  endAllSessions(): number {
    let grants = 0;
    for (const key of [...this.#entries.keys()]) {
      const model = key.slice(0, key.indexOf(':'));
      if (!SESSION_MODELS.has(model)) continue;
      if (model === 'Grant') grants += 1;
      this.delete(key);
    }
    return grants;
  }

  #sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.delete(key);
  }
}

class StoreAdapter implements Adapter {
  constructor(
    private readonly store: MemoryStore,
    private readonly model: string,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    this.store.set(this.model, id, payload, expiresIn);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const payload = this.store.get(`${this.model}:${id}`);
    return payload && structuredClone(payload);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const id = this.store.idForSessionUid(uid);
    return id === undefined ? undefined : this.find(id);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const id = this.store.idForUserCode(userCode);
    return id === undefined ? undefined : this.find(id);
  }

  async consume(id: string): Promise<void> {
    const payload = this.store.get(`${this.model}:${id}`);
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.store.delete(`${this.model}:${id}`);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.store.revokeByGrantId(grantId);
  }
}
