import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { argon2id as nobleArgon2id } from '@noble/hashes/argon2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { argon2idRaw, createArgon2id, handleKdfMessage, runKdfRequest, warmUpArgon2id } from '@/utils/vault/argon2';
import { deriveKey, normalizePassword } from '@/utils/vault/kdf';
import { ARGON2_VERSION, assertKdfParams, CURRENT_KDF_COST, newKdfParams, type KdfParams } from '@/utils/vault/kdf-params';
import { deriveInWorker, KdfWorkerUnavailable, prepareKdfWorker, type KdfWorkerLike } from '@/utils/vault/kdf-worker-client';
import type { KdfMessage, KdfRequest, KdfResponse } from '@/utils/vault/argon2';
import { SMALL } from './vault-test-kit';

const params = (cost: Partial<KdfParams>, salt: Uint8Array): KdfParams => ({
  algorithm: 'argon2id',
  argon2Version: ARGON2_VERSION,
  memoryKiB: 256,
  iterations: 1,
  parallelism: 1,
  ...cost,
  salt,
});

describe('Argon2id known answers', () => {
  // The reference implementation's argon2id test (phc-winner-argon2 src/test.c).
  const REFERENCE_HEX = '09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7';
  const reference = params({ memoryKiB: 65_536, iterations: 2, parallelism: 1 }, utf8ToBytes('somesalt'));

  it('deriveKey reproduces the reference implementation vector (password "password", salt "somesalt", m=64 MiB, t=2, p=1)', async () => {
    expect(bytesToHex(await deriveKey('password', reference))).toBe(REFERENCE_HEX);
    // The same vector from the independent JS implementation, which the tests below compare against.
    expect(bytesToHex(nobleArgon2id('password', 'somesalt', { m: 65_536, t: 2, p: 1, dkLen: 32 }))).toBe(REFERENCE_HEX);
  });

  it('the cross-check oracle (@noble/hashes) passes RFC 9106 §5.3, which needs secret + associated data', () => {
    const tag = nobleArgon2id(new Uint8Array(32).fill(1), new Uint8Array(16).fill(2), {
      m: 32,
      t: 3,
      p: 4,
      dkLen: 32,
      key: new Uint8Array(8).fill(3),
      personalization: new Uint8Array(12).fill(4),
    });
    expect(bytesToHex(tag)).toBe('0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659');
  });

  it('the WebAssembly Argon2id agrees with @noble/hashes on random passwords, salts and small parameters', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Two bytes at least: the library refuses an empty and some one-byte passwords, which the vault never derives.
        fc.uint8Array({ minLength: 2, maxLength: 40 }),
        fc.uint8Array({ minLength: 8, maxLength: 32 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 32 }),
        async (password, salt, p, t, extra) => {
          const m = 8 * p + extra;
          const ours = await argon2idRaw(password, params({ memoryKiB: m, iterations: t, parallelism: p }, salt));
          expect(bytesToHex(ours)).toBe(bytesToHex(nobleArgon2id(password, salt, { m, t, p, dkLen: 32 })));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('an instance that keeps its memory gives the same keys after a warm-up and in any order of sizes', async () => {
    const argon2id = await createArgon2id();
    warmUpArgon2id(argon2id);
    const salt = new Uint8Array(16).fill(3);
    for (const [m, t, p] of [[64, 2, 1], [1024, 1, 4], [32, 3, 2], [1024, 1, 4]] as const) {
      const ours = argon2id(utf8ToBytes('same password'), params({ memoryKiB: m, iterations: t, parallelism: p }, salt));
      expect(bytesToHex(ours)).toBe(bytesToHex(nobleArgon2id('same password', salt, { m, t, p, dkLen: 32 })));
    }
  });

  it('a worker request served by its own instance derives the same key', async () => {
    const password = normalizePassword('worker-password');
    const p = params(SMALL, new Uint8Array(16).fill(9));
    const response = await runKdfRequest({ password: password.slice(), params: p }, createArgon2id());
    expect(response).toEqual({ ok: true, key: await argon2idRaw(password, p) });
  });

  it('derives with the real parameters (64 MiB, t=3, p=4) and matches the independent implementation', async () => {
    const real = newKdfParams(CURRENT_KDF_COST);
    expect(real).toMatchObject({ memoryKiB: 65_536, iterations: 3, parallelism: 4 });
    const key = await deriveKey('a real master password', real);
    const expected = nobleArgon2id('a real master password', real.salt, { m: 65_536, t: 3, p: 4, dkLen: 32 });
    expect(bytesToHex(key)).toBe(bytesToHex(expected));
  }, 30_000);
});

describe('password normalisation (NFKC)', () => {
  const salt = hexToBytes('00112233445566778899aabbccddeeff');
  const derive = async (password: string) => bytesToHex(await deriveKey(password, params(SMALL, salt)));

  it.each([
    ['composed and decomposed accents', 'caf\u00e9-passw0rd', 'cafe\u0301-passw0rd'],
    ['a ligature and its letters', '\ufb01refly-secret', 'firefly-secret'],
    ['full-width and ASCII forms', '\uff50\uff41\uff53\uff53\uff17', 'pass7'],
  ])('treats %s as the same password', async (_label, a, b) => {
    expect(a).not.toBe(b);
    expect(await derive(a)).toBe(await derive(b));
  });

  it('still tells different passwords apart, and derives from the NFKC UTF-8 bytes', async () => {
    expect(await derive('password1')).not.toBe(await derive('password2'));
    expect(bytesToHex(normalizePassword('cafe\u0301'))).toBe(bytesToHex(utf8ToBytes('caf\u00e9')));
    expect(await derive('cafe\u0301')).toBe(bytesToHex(nobleArgon2id(utf8ToBytes('caf\u00e9'), salt, { m: 256, t: 1, p: 1, dkLen: 32 })));
  });
});

describe('parameter checks', () => {
  const salt = new Uint8Array(16);
  it.each([
    ['an unknown algorithm', { algorithm: 'scrypt' }],
    ['an unknown Argon2 version', { argon2Version: 0x10 }],
    ['absurd memory', { memoryKiB: 4_194_304 }],
    ['memory below 8 × parallelism', { memoryKiB: 16, parallelism: 4 }],
    ['zero iterations', { iterations: 0 }],
    ['fractional cost', { iterations: 1.5 }],
    ['a short salt', { salt: new Uint8Array(4) }],
  ])('refuses %s with vault_unsupported before deriving anything', async (_label, bad) => {
    const p = { ...params(SMALL, salt), ...bad } as KdfParams;
    expect(() => assertKdfParams(p)).toThrow(expect.objectContaining({ code: 'vault_unsupported' }));
    await expect(deriveKey('whatever-password', p)).rejects.toMatchObject({ code: 'vault_unsupported' });
  });

  it('gives every new parameter set its own random salt', () => {
    expect(bytesToHex(newKdfParams(SMALL).salt)).not.toBe(bytesToHex(newKdfParams(SMALL).salt));
  });
});

describe('the KDF worker', () => {
  /** Runs the worker's real handler in-thread, with structured-clone-like transfer semantics. */
  function fakeWorker(behaviour: 'run' | 'fail-load' = 'run') {
    const argon2id = createArgon2id();
    const worker: KdfWorkerLike & { terminated: boolean; received: string[] } = {
      onmessage: null,
      onerror: null,
      terminated: false,
      received: [],
      postMessage(message: KdfMessage, transfer: Transferable[]) {
        worker.received.push('warmUp' in message ? 'warm-up' : 'request');
        const cloned = structuredClone(message, { transfer });
        queueMicrotask(async () => {
          if (behaviour === 'fail-load') {
            worker.onerror?.(Object.assign(new Event('error'), { message: 'load failed' }) as ErrorEvent);
            return;
          }
          const response = await handleKdfMessage(cloned, argon2id);
          if (response) worker.onmessage?.({ data: response } as MessageEvent<KdfResponse>);
        });
      },
      terminate() {
        worker.terminated = true;
      },
    };
    return worker;
  }

  const p = params(SMALL, new Uint8Array(16).fill(7));

  it('derives the same key as in-thread, leaves the caller its bytes, and is terminated after one job', async () => {
    const worker = fakeWorker();
    const password = normalizePassword('worker-password');
    const key = await deriveInWorker(password, p, () => worker);
    expect(bytesToHex(key)).toBe(bytesToHex(await argon2idRaw(normalizePassword('worker-password'), p)));
    expect(password.byteLength).toBeGreaterThan(0);
    expect(worker.terminated).toBe(true);
  });

  it('reports a worker that cannot be created or fails to load as unavailable', async () => {
    await expect(
      deriveInWorker(normalizePassword('x-password'), p, () => {
        throw new Error('no workers here');
      }),
    ).rejects.toBeInstanceOf(KdfWorkerUnavailable);
    const broken = fakeWorker('fail-load');
    await expect(deriveInWorker(normalizePassword('x-password'), p, () => broken)).rejects.toBeInstanceOf(KdfWorkerUnavailable);
    expect(broken.terminated).toBe(true);
  });

  const noSecondWorker = () => {
    throw new Error('a second worker was started');
  };

  it('a prepared worker serves the next derivation, is terminated after it, and its clean-up then leaves it alone', async () => {
    const worker = fakeWorker();
    const release = prepareKdfWorker(() => worker);
    const key = await deriveInWorker(normalizePassword('worker-password'), p, noSecondWorker);
    expect(bytesToHex(key)).toBe(bytesToHex(await argon2idRaw(normalizePassword('worker-password'), p)));
    expect(worker.received).toEqual(['warm-up', 'request']);
    expect(worker.terminated).toBe(true);
    worker.terminated = false;
    release();
    expect(worker.terminated).toBe(false);
  });

  it('prepares one worker at a time, and stops it unused when its form goes; the next derivation starts its own', async () => {
    const spare = fakeWorker();
    const release = prepareKdfWorker(() => spare);
    let started = 0;
    const again = prepareKdfWorker(() => (started++, fakeWorker()));
    again();
    expect(started).toBe(0);
    expect(spare.terminated).toBe(false);
    release();
    expect(spare.terminated).toBe(true);
    const fresh = fakeWorker();
    await deriveInWorker(normalizePassword('x-password'), p, () => fresh);
    // Started with the request, it goes straight to it.
    expect(fresh.received).toEqual(['request']);
    expect(fresh.terminated).toBe(true);
  });

  it('a prepared worker that failed to load is reported as unavailable, and one that cannot start prepares nothing', async () => {
    const broken = fakeWorker();
    prepareKdfWorker(() => broken);
    broken.onerror!(Object.assign(new Event('error'), { message: 'load failed' }) as ErrorEvent);
    await expect(deriveInWorker(normalizePassword('x-password'), p, noSecondWorker)).rejects.toBeInstanceOf(KdfWorkerUnavailable);
    expect(broken.terminated).toBe(true);
    prepareKdfWorker(() => {
      throw new Error('blocked by CSP');
    })();
    const fresh = fakeWorker();
    await deriveInWorker(normalizePassword('x-password'), p, () => fresh);
    expect(fresh.terminated).toBe(true);
  });

  it('deriveKey falls back to in-thread Argon2id when the page cannot start a worker', async () => {
    vi.stubGlobal(
      'Worker',
      class {
        constructor() {
          throw new Error('blocked by CSP');
        }
      },
    );
    try {
      const key = await deriveKey('fallback-password', p);
      expect(bytesToHex(key)).toBe(bytesToHex(await argon2idRaw(normalizePassword('fallback-password'), p)));
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('the worker entry answers with the key and transfers it, and zeroes the password it was sent', async () => {
    const scope: { onmessage?: (e: MessageEvent<KdfRequest>) => void; postMessage: ReturnType<typeof vi.fn> } = { postMessage: vi.fn() };
    vi.stubGlobal('self', scope);
    try {
      vi.resetModules();
      await import('@/utils/vault/kdf-worker');
      const password = normalizePassword('entry-password');
      scope.onmessage!({ data: { password, params: p } } as MessageEvent<KdfRequest>);
      await vi.waitFor(() => expect(scope.postMessage).toHaveBeenCalled());
      const [response, transfer] = scope.postMessage.mock.calls[0]! as [KdfResponse, Transferable[]];
      expect(response.ok).toBe(true);
      expect(transfer).toEqual([(response as { key: Uint8Array }).key.buffer]);
      expect([...password].every((b) => b === 0)).toBe(true);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
