import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { VaultError } from '../errors.js';
import { isAllZero, KEY_BYTES, wipeKey } from './keys.js';
import type { SecretKey } from './secretTypes.js';
import { sodium } from './sodium.js';

const MIB = 1024 * 1024;
/** libsodium's MODERATE: the weakest setting a vault may use. */
export const KDF_FLOOR = { opsLimit: 3, memLimitBytes: 256 * MIB } as const;
/** Above this, a header is absurd (a DoS or a forgery), not strong. */
export const KDF_CEILING = { opsLimit: 16, memLimitBytes: 2048 * MIB } as const;
export const KDF_PRESETS = {
  moderate: { opsLimit: 3, memLimitBytes: 256 * MIB },
  strong: { opsLimit: 4, memLimitBytes: 512 * MIB },
  sensitive: { opsLimit: 4, memLimitBytes: 1024 * MIB },
} as const;
export type KdfPreset = keyof typeof KDF_PRESETS;
const SALT_BYTES = 16;

export const KdfParamsSchema = z
  .object({
    algorithm: z.literal('argon2id13'),
    opsLimit: z.number().int(),
    memLimitBytes: z.number().int(),
    saltB64: z.string().regex(/^[A-Za-z0-9+/]{22}==$/, 'salt must be 16 bytes of base64'),
  })
  .strict();
export type KdfParams = z.infer<typeof KdfParamsSchema>;

/** Checks stored parameters before any work is done, so a forged header cannot make us burn CPU/RAM or use a weak key. */
export function validateKdfParams(candidate: unknown): KdfParams {
  const parsed = KdfParamsSchema.safeParse(candidate);
  if (!parsed.success) throw new VaultError('KDF_PARAMS_REJECTED', 'key-derivation parameters are malformed');
  const params = parsed.data;
  if (params.opsLimit < KDF_FLOOR.opsLimit || params.memLimitBytes < KDF_FLOOR.memLimitBytes) {
    throw new VaultError('KDF_PARAMS_REJECTED', `key-derivation parameters are below the floor (ops ${params.opsLimit}, mem ${params.memLimitBytes} bytes)`);
  }
  if (params.opsLimit > KDF_CEILING.opsLimit || params.memLimitBytes > KDF_CEILING.memLimitBytes) {
    throw new VaultError('KDF_PARAMS_REJECTED', `key-derivation parameters are absurd (ops ${params.opsLimit}, mem ${params.memLimitBytes} bytes)`);
  }
  if (params.memLimitBytes % 1024 !== 0) throw new VaultError('KDF_PARAMS_REJECTED', 'key-derivation memory limit must be a whole number of KiB');
  return params;
}

export function newKdfParams(preset: KdfPreset = 'moderate'): KdfParams {
  const { opsLimit, memLimitBytes } = KDF_PRESETS[preset];
  const salt = sodium().randombytes_buf(SALT_BYTES);
  return { algorithm: 'argon2id13', opsLimit, memLimitBytes, saltB64: Buffer.from(salt).toString('base64') };
}

/** Passphrases are NFC-normalised so the same words typed on different keyboards give the same key. */
export function passphraseBytes(passphrase: string): Uint8Array {
  return new TextEncoder().encode(passphrase.normalize('NFC'));
}

// Argon2id runs in a worker thread: it blocks for about a second, and its 256+ MiB of WASM memory
// is released when the worker exits instead of staying in this process for good.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const sodium = require(workerData.sodiumPath);
parentPort.once('message', async ({ passphrase, salt, opsLimit, memLimitBytes, keyBytes }) => {
  try {
    await sodium.ready;
    const key = sodium.crypto_pwhash(keyBytes, passphrase, salt, opsLimit, memLimitBytes, sodium.crypto_pwhash_ALG_ARGON2ID13);
    sodium.memzero(passphrase);
    parentPort.postMessage({ key }, [key.buffer]);
  } catch (error) {
    sodium.memzero(passphrase);
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
});
`;

/** Copies the worker's output into a key, refusing a wrong length or an all-zero result. */
export function acceptDerivedKey(derived: Uint8Array): SecretKey {
  const key = new Uint8Array(derived) as SecretKey;
  wipeKey(derived);
  if (key.length !== KEY_BYTES || isAllZero(key)) {
    wipeKey(key);
    throw new VaultError('KDF_OUTPUT_REJECTED', 'key derivation produced an invalid (all-zero) key');
  }
  return key;
}

const sodiumCjsPath = createRequire(import.meta.url).resolve('libsodium-wrappers-sumo');

/**
 * Derives the key-encryption key. Parameters are validated first; the passphrase buffer is
 * zeroed here after it is copied to the worker; an all-zero result is refused.
 */
export async function deriveKeyEncryptionKey(passphrase: string, candidateParams: unknown): Promise<SecretKey> {
  const params = validateKdfParams(candidateParams);
  const passphraseCopy = passphraseBytes(passphrase);
  const salt = new Uint8Array(Buffer.from(params.saltB64, 'base64'));
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { sodiumPath: sodiumCjsPath } });
  try {
    const result = await new Promise<{ key?: Uint8Array; error?: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`key-derivation worker exited with code ${code}`)));
      worker.postMessage(
        { passphrase: passphraseCopy, salt, opsLimit: params.opsLimit, memLimitBytes: params.memLimitBytes, keyBytes: KEY_BYTES },
        [passphraseCopy.buffer as ArrayBuffer],
      );
    });
    if (!result.key) throw new VaultError('KDF_OUTPUT_REJECTED', `key derivation failed: ${result.error ?? 'no key'}`);
    return acceptDerivedKey(result.key);
  } finally {
    // Transferred to the worker (detached here) unless posting failed; zero whatever is still ours.
    if (passphraseCopy.byteLength > 0) passphraseCopy.fill(0);
    await worker.terminate();
  }
}
