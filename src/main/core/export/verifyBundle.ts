import { ensureSodium } from '../crypto/index.js';
import { BundleError, type BundleErrorCode } from './BundleError.js';
import { checkBundleFolder, type BundleCheckOptions } from './checkBundleFolder.js';

export type BundleVerifyReport = {
  ok: boolean;
  code?: BundleErrorCode;
  message?: string;
  bundleId?: string;
  createdAt?: string;
  profile?: string;
  appVersion?: string;
  signer?: { keyId: string; publicKey: string };
  /** True when the signer was compared with a key given by the caller, not just the one the bundle names. */
  signerExpected: boolean;
  items?: { controlNumber: string; media: number; excludedMedia: number }[];
  payload?: { sha256: string; size: number; plaintextSize: number; recipients: { type: string; fingerprint?: string }[] };
  checks: { name: string; ok: boolean }[];
};

/**
 * Checks a bundle without decrypting it: minisign signature (against `expectedSigner` if given),
 * manifest format, trusted comment, SHA256SUMS, README and viewer hashes, payload size, age header
 * and recipients, and payload hash. Never throws for a bad bundle: the report says what failed.
 */
export async function verifyBundle(bundleDir: string, options: BundleCheckOptions = {}): Promise<BundleVerifyReport> {
  await ensureSodium();
  const checks: { name: string; ok: boolean }[] = [];
  const signerExpected = options.expectedSigner !== undefined;
  try {
    const { manifest, signer } = await checkBundleFolder(bundleDir, options, checks);
    return {
      ok: true,
      bundleId: manifest.bundleId,
      createdAt: manifest.createdAt,
      profile: manifest.profile,
      appVersion: manifest.appVersion,
      signer,
      signerExpected,
      items: manifest.items.map((item) => ({ controlNumber: item.controlNumber, media: item.media.length, excludedMedia: item.excludedMedia })),
      payload: { sha256: manifest.payload.sha256, size: manifest.payload.size, plaintextSize: manifest.payload.plaintextSize, recipients: manifest.payload.recipients },
      checks,
    };
  } catch (error) {
    if (!(error instanceof BundleError)) throw error;
    return { ok: false, code: error.code, message: error.message, signerExpected, checks: [...checks, { name: 'failed', ok: false }] };
  }
}
