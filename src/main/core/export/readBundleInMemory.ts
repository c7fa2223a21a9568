import { AgeError, createSha256, ensureSodium, parseAgeIdentityFile, wipeAgeKeys, type AgeDecryptionKey, type Sha256Stream } from '../crypto/index.js';
import { BundleError } from './BundleError.js';
import { checkBundleFolder, type BundleCheckOptions } from './checkBundleFolder.js';
import { ExportedTestimonySchema, type ExportedTestimony } from './exportedTestimonySchema.js';
import { inspectPayload, type InspectedEntry } from './inspectPayload.js';
import { EXPORT_PAYLOAD_LAYOUT, readPayloadEntries } from './readPayloadEntries.js';

export type BundleInMemory = {
  bundleId: string;
  profile: string;
  signer: { keyId: string; publicKey: string };
  files: InspectedEntry[];
  testimonies: ExportedTestimony[];
};

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Opens a bundle as `openBundle` does, but writes nothing: the same outer checks and verifying
 * pass (inspectPayload), then a second pass that keeps only the redacted testimonies in memory,
 * each compared with the hash the first pass verified. Media stays inside payload.age.
 * For the app's read-only bundle view.
 */
export async function readBundleInMemory(options: BundleCheckOptions & { bundleDir: string; identityText: string }): Promise<BundleInMemory> {
  await ensureSodium();
  let keys: AgeDecryptionKey[];
  try {
    keys = parseAgeIdentityFile(options.identityText);
  } catch (error) {
    if (error instanceof AgeError) throw new BundleError('IDENTITY_MALFORMED', error.message);
    throw error;
  }
  try {
    const checked = await checkBundleFolder(options.bundleDir, options, []);
    const inspected = await inspectPayload(checked, keys);
    const verified = new Map(inspected.entries.map((entry) => [entry.path, entry.sha256]));
    const testimonies: ExportedTestimony[] = [];
    let current: { name: string; hash: Sha256Stream; chunks: Uint8Array[] } | null = null;
    const { ciphertextSha256 } = await readPayloadEntries(checked, keys, {
      onEntry: (header, kind) => {
        current = kind === 'testimony' ? { name: header.name, hash: createSha256(), chunks: [] } : null;
      },
      onData: (bytes) => {
        if (!current) return;
        current.hash.update(bytes);
        current.chunks.push(bytes.slice());
      },
      onEntryEnd: () => {
        const entry = current as { name: string; hash: Sha256Stream; chunks: Uint8Array[] } | null;
        if (!entry) return;
        current = null;
        if (verified.get(entry.name) !== entry.hash.digestHex()) {
          throw new BundleError('PAYLOAD_CHANGED_DURING_OPEN', `${entry.name} differs from what was verified (payload.age changed while it was being opened)`);
        }
        // inspectPayload already parsed it; parse again because this is a second read of the file.
        const parsed = ExportedTestimonySchema.safeParse(JSON.parse(strictUtf8.decode(Buffer.concat(entry.chunks))));
        if (!parsed.success) throw new BundleError('TESTIMONY_MALFORMED', `${entry.name} does not have the testimony format`);
        testimonies.push(parsed.data);
      },
    }, EXPORT_PAYLOAD_LAYOUT);
    if (ciphertextSha256 !== checked.manifest.payload.sha256) throw new BundleError('PAYLOAD_CHANGED_DURING_OPEN', 'payload.age changed while it was being opened');
    return {
      bundleId: checked.manifest.bundleId,
      profile: checked.manifest.profile,
      signer: checked.signer,
      files: inspected.entries,
      testimonies,
    };
  } finally {
    wipeAgeKeys(keys);
  }
}
