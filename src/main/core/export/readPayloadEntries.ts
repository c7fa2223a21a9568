import { AGE_MAX_HEADER_BYTES, createSha256, openAgeHeader, sha256Hex, type AgeDecryptionKey } from '../crypto/index.js';
import { BundleError, asBundleError } from './BundleError.js';
import { BUNDLE_FILES, MAX_TAR_ENTRIES, classifyPayloadEntry, entryLimit, type EntryKind } from './bundleLayout.js';
import { openBundleFile, type CheckedBundle } from './checkBundleFolder.js';
import { TarReader, type TarEntryHeader } from './TarReader.js';

export type PayloadEntryHandler<K extends string = EntryKind> = {
  onEntry(header: TarEntryHeader, kind: K): Promise<void> | void;
  onData(bytes: Uint8Array): Promise<void> | void;
  onEntryEnd(): Promise<void> | void;
};

/** Which entries a payload may hold and how large each kind may be; anything else is refused by `classify`. */
export type PayloadLayout<K extends string> = { classify(name: string): K; limit(kind: K): number };

/** The redacted export's layout (bundleLayout.ts). A transfer bundle has its own (transferLayout.ts). */
export const EXPORT_PAYLOAD_LAYOUT: PayloadLayout<EntryKind> = { classify: classifyPayloadEntry, limit: entryLimit };

const READ_CHUNK = 1024 * 1024;

/**
 * One pass over payload.age: decrypt (strict age), parse (strict tar, the given layout, per-kind size
 * limits, no duplicates), and hand each entry to `handler`. It re-reads the file from disk and
 * re-hashes it, so the caller can tell if payload.age changed since it was checked.
 */
export async function readPayloadEntries<K extends string>(
  bundle: CheckedBundle,
  keys: readonly AgeDecryptionKey[],
  handler: PayloadEntryHandler<K>,
  layout: PayloadLayout<K>,
): Promise<{ ciphertextSha256: string }> {
  const { handle, size } = await openBundleFile(bundle.dir, BUNDLE_FILES.payload);
  const names = new Set<string>();
  const tar = new TarReader({
    maxEntries: MAX_TAR_ENTRIES,
    totalSize: bundle.manifest.payload.plaintextSize,
    checkEntry: (header) => {
      const kind = layout.classify(header.name);
      if (header.size > layout.limit(kind)) throw new BundleError('TAR_SIZE_ABSURD', `${header.name} claims ${header.size} bytes, above the limit for its kind`);
      // Case-folded, so "Manifest.json" cannot shadow "manifest.json" on a case-insensitive disk.
      const key = header.name.toLowerCase();
      if (names.has(key)) throw new BundleError('TAR_DUPLICATE_ENTRY', `the payload holds ${header.name} twice`);
      names.add(key);
    },
  });
  const cipherHash = createSha256();
  const dispatch = async (plain: Uint8Array) => {
    for (const event of tar.push(plain)) {
      if (event.type === 'entry') await handler.onEntry(event.header, layout.classify(event.header.name));
      else if (event.type === 'data') await handler.onData(event.bytes);
      else await handler.onEntryEnd();
    }
  };
  try {
    if (size !== bundle.manifest.payload.size) throw new BundleError('PAYLOAD_CHANGED_DURING_OPEN', 'payload.age changed size while it was being opened');
    const start = new Uint8Array(Math.min(size, AGE_MAX_HEADER_BYTES));
    await handle.read(start, 0, start.length, 0);
    let opened: Awaited<ReturnType<typeof openAgeHeader>>;
    try {
      opened = await openAgeHeader(start, keys);
    } catch (error) {
      throw asBundleError(error) ?? error;
    }
    const { header, decryptor } = opened;
    if (sha256Hex(start.subarray(0, header.length)) !== bundle.manifest.payload.headerSha256) {
      throw new BundleError('PAYLOAD_CHANGED_DURING_OPEN', 'the age header of payload.age changed while it was being opened');
    }
    cipherHash.update(start.subarray(0, header.length));
    const buffer = new Uint8Array(READ_CHUNK);
    try {
      for (let offset = header.length; offset < size; ) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(READ_CHUNK, size - offset), offset);
        if (bytesRead === 0) throw new BundleError('PAYLOAD_CHANGED_DURING_OPEN', 'payload.age became shorter while it was being opened');
        const cipher = buffer.subarray(0, bytesRead);
        cipherHash.update(cipher);
        offset += bytesRead;
        for (const plain of decryptor.push(cipher)) await dispatch(plain);
      }
      await dispatch(decryptor.finish());
    } catch (error) {
      decryptor.wipeKeys();
      throw asBundleError(error) ?? error;
    }
    tar.finish();
    return { ciphertextSha256: cipherHash.digestHex() };
  } finally {
    await handle.close();
  }
}

