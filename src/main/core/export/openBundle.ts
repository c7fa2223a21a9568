import { ensureSodium } from '../crypto/index.js';
import fs from 'node:fs';
import path from 'node:path';
import { AgeError, createSha256, parseAgeIdentityFile, wipeAgeKeys, AGE_MAX_SCRYPT_WORK_FACTOR, type AgeDecryptionKey, type Sha256Stream } from '../crypto/index.js';
import { BundleError } from './BundleError.js';
import { checkBundleFolder, type BundleCheckOptions } from './checkBundleFolder.js';
import { inspectPayload } from './inspectPayload.js';
import { EXPORT_PAYLOAD_LAYOUT, readPayloadEntries } from './readPayloadEntries.js';

export type OpenBundleOptions = BundleCheckOptions & {
  bundleDir: string;
  /** Created if missing; if it exists it must be an empty folder. Nothing is written outside it. */
  outDir: string;
  /** The text of an age identity file (`AGE-SECRET-KEY-1…` lines). */
  identityText?: string;
  passphrase?: string;
};

export type OpenBundleResult = {
  bundleId: string;
  outDir: string;
  profile: string;
  signer: { keyId: string; publicKey: string };
  items: { controlNumber: string; testimony: string; media: string[] }[];
  files: { path: string; size: number; sha256: string }[];
};

/** Room on the disk beyond the payload itself, for directory entries and the file system's own needs. */
const SPACE_MARGIN_BYTES = 16 * 1024 * 1024;

function decryptionKeys(options: OpenBundleOptions): AgeDecryptionKey[] {
  const keys: AgeDecryptionKey[] = [];
  if (options.identityText !== undefined) {
    try {
      keys.push(...parseAgeIdentityFile(options.identityText));
    } catch (error) {
      if (error instanceof AgeError) throw new BundleError('IDENTITY_MALFORMED', error.message);
      throw error;
    }
  }
  if (options.passphrase !== undefined) keys.push({ kind: 'scrypt', passphrase: options.passphrase, maxWorkFactor: AGE_MAX_SCRYPT_WORK_FACTOR });
  if (keys.length === 0) throw new BundleError('IDENTITY_MALFORMED', 'give an age identity file or a passphrase');
  return keys;
}

async function assertUsableOutDir(outDir: string): Promise<boolean> {
  const stat = await fs.promises.lstat(outDir).catch(() => null);
  if (!stat) return false;
  if (!stat.isDirectory() || (await fs.promises.readdir(outDir)).length > 0) throw new BundleError('OUT_DIR_NOT_EMPTY', `${outDir} exists and is not an empty folder`);
  return true;
}

/** Joins an entry name (already checked: relative, ASCII, no `..`) to `outDir`, and checks again that it stays inside. */
function targetPath(outDir: string, name: string): string {
  const target = path.resolve(outDir, ...name.split('/'));
  if (!target.startsWith(`${outDir}${path.sep}`)) throw new BundleError('TAR_PATH_TRAVERSAL', `${name} would be written outside the output folder`);
  return target;
}

/**
 * Opens a bundle as a lawyer. Everything is verified before a single plaintext byte is written:
 * the outer layer (signature, hashes, recipients, payload hash), then a full decrypting pass that
 * writes nothing (age STREAM to the final chunk, strict tar, inner manifest and signature, every
 * entry's hash, every image's metadata and size). Only then a second pass writes the files into
 * `outDir`, comparing each with the first pass; if payload.age changed in between, everything
 * written is removed. A refusal is a BundleError with a specific code.
 */
export async function openBundle(options: OpenBundleOptions): Promise<OpenBundleResult> {
  // A lawyer's fresh process opens a bundle before anything else has loaded the crypto.
  await ensureSodium();
  const outDir = path.resolve(options.outDir);
  const keys = decryptionKeys(options);
  try {
    const existed = await assertUsableOutDir(outDir);
    const checked = await checkBundleFolder(options.bundleDir, options, []);
    const inspected = await inspectPayload(checked, keys);

    const space = await fs.promises.statfs(path.dirname(outDir)).catch(() => null);
    if (space && space.bavail * space.bsize < checked.manifest.payload.plaintextSize + SPACE_MARGIN_BYTES) {
      throw new BundleError('INSUFFICIENT_SPACE', `the disk holding ${outDir} has too little free space for this bundle`);
    }

    const expected = new Map(inspected.entries.map((entry) => [entry.path, entry]));
    if (!existed) await fs.promises.mkdir(outDir, { mode: 0o700 });
    const written: string[] = [];
    try {
      let current: { name: string; handle: fs.promises.FileHandle; hash: Sha256Stream } | null = null;
      const { ciphertextSha256 } = await readPayloadEntries(checked, keys, {
        onEntry: async (header) => {
          const target = targetPath(outDir, header.name);
          await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
          // O_EXCL with O_NOFOLLOW: never through a link, never over an existing file.
          const handle = await fs.promises.open(target, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
          written.push(target);
          current = { name: header.name, handle, hash: createSha256() };
        },
        onData: async (bytes) => {
          const entry = current as { handle: fs.promises.FileHandle; hash: Sha256Stream } | null;
          if (!entry) return;
          entry.hash.update(bytes);
          let offset = 0;
          while (offset < bytes.length) offset += (await entry.handle.write(bytes, offset, bytes.length - offset)).bytesWritten;
        },
        onEntryEnd: async () => {
          const entry = current as { name: string; handle: fs.promises.FileHandle; hash: Sha256Stream } | null;
          if (!entry) return;
          current = null;
          await entry.handle.sync();
          await entry.handle.close();
          if (expected.get(entry.name)?.sha256 !== entry.hash.digestHex()) {
            throw new BundleError('PAYLOAD_CHANGED_DURING_OPEN', `${entry.name} differs from what was verified (payload.age changed while it was being opened)`);
          }
        },
      }, EXPORT_PAYLOAD_LAYOUT);
      if (ciphertextSha256 !== checked.manifest.payload.sha256 || written.length !== expected.size) {
        throw new BundleError('PAYLOAD_CHANGED_DURING_OPEN', 'payload.age changed while it was being opened');
      }
    } catch (error) {
      if (existed) {
        for (const name of await fs.promises.readdir(outDir)) await fs.promises.rm(path.join(outDir, name), { recursive: true, force: true });
      } else {
        await fs.promises.rm(outDir, { recursive: true, force: true });
      }
      throw error;
    }
    return {
      bundleId: checked.manifest.bundleId,
      outDir,
      profile: checked.manifest.profile,
      signer: checked.signer,
      items: checked.manifest.items.map(({ controlNumber, testimony, media }) => ({ controlNumber, testimony, media })),
      files: inspected.entries.map(({ path: entryPath, size, sha256 }) => ({ path: entryPath, size, sha256 })),
    };
  } finally {
    wipeAgeKeys(keys);
  }
}
