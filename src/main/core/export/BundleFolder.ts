import fs from 'node:fs';
import path from 'node:path';
import { sha256Hex, signManifest } from '../crypto/index.js';
import type { VaultSession } from '../vault/VaultSession.js';
import { BUNDLE_FILES, OUTER_CHECKSUMMED_FILES } from './bundleLayout.js';
import { BUNDLE_MANIFEST_FORMAT, bundleTrustedComment, manifestJson, type BundleManifest, type PayloadManifest } from './bundleManifestSchema.js';
import { ExportError } from './ExportError.js';
import type { SealedPayload } from './PayloadWriter.js';
import { formatSha256Sums } from './sha256Sums.js';
import { VIEWER_HTML } from './viewer/viewerHtml.generated.js';

export type RecipientEntry = BundleManifest['payload']['recipients'][number];

async function writePublicFile(filePath: string, content: string | Uint8Array): Promise<void> {
  const handle = await fs.promises.open(filePath, 'wx', 0o644);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The folder a bundle is written into, for every profile: a new or empty folder; payload.age
 * (written by a PayloadWriter), then the signed outer files; on failure, only what we wrote is removed.
 */
export class BundleFolder {
  private constructor(
    readonly outDir: string,
    private readonly createdDir: boolean,
  ) {}

  static async prepare(outDir: string): Promise<BundleFolder> {
    const stat = await fs.promises.lstat(outDir).catch(() => null);
    if (stat) {
      if (!stat.isDirectory() || (await fs.promises.readdir(outDir)).length > 0) {
        throw new ExportError('OUT_DIR_NOT_EMPTY', `${outDir} exists and is not an empty folder; choose a new folder for the bundle`);
      }
      return new BundleFolder(outDir, false);
    }
    await fs.promises.mkdir(outDir, { mode: 0o700 });
    return new BundleFolder(outDir, true);
  }

  get payloadPath(): string {
    return path.join(this.outDir, BUNDLE_FILES.payload);
  }

  /**
   * Writes README.txt, viewer.html, the bundle manifest (the payload manifest plus the sealed
   * payload's hash, size, header hash and recipients, and the companions' hashes), its minisign
   * signature by the vault key, and SHA256SUMS; then syncs the folder.
   */
  async writeSignedOuterFiles(
    session: VaultSession,
    payloadManifest: PayloadManifest,
    sealed: SealedPayload,
    recipients: RecipientEntry[],
    readmeFor: (manifest: Omit<BundleManifest, 'companions'>) => string,
  ): Promise<BundleManifest> {
    const manifestWithoutCompanions: Omit<BundleManifest, 'companions'> = {
      ...payloadManifest,
      format: BUNDLE_MANIFEST_FORMAT,
      payload: { file: BUNDLE_FILES.payload, sha256: sealed.sha256, size: sealed.size, headerSha256: sealed.headerSha256, plaintextSize: sealed.plaintextSize, recipients },
    };
    const readme = readmeFor(manifestWithoutCompanions);
    const bundleManifest: BundleManifest = {
      ...manifestWithoutCompanions,
      companions: [{ path: BUNDLE_FILES.readme, sha256: sha256Hex(readme) }, { path: BUNDLE_FILES.viewer, sha256: sha256Hex(VIEWER_HTML) }],
    };
    const manifestText = manifestJson(bundleManifest);
    const signature = signManifest(session.key('signingSecretKey'), session.signingPublicKey, new TextEncoder().encode(manifestText), bundleTrustedComment(bundleManifest));
    const outerFiles: Record<string, string> = {
      [BUNDLE_FILES.readme]: readme, [BUNDLE_FILES.manifest]: manifestText, [BUNDLE_FILES.signature]: signature, [BUNDLE_FILES.viewer]: VIEWER_HTML,
    };
    for (const [name, content] of Object.entries(outerFiles)) await writePublicFile(path.join(this.outDir, name), content);
    const sums = OUTER_CHECKSUMMED_FILES.map((name) => ({ path: name, sha256: name === BUNDLE_FILES.payload ? sealed.sha256 : sha256Hex(outerFiles[name] ?? '') }));
    await writePublicFile(path.join(this.outDir, BUNDLE_FILES.checksums), formatSha256Sums(sums));
    const dirHandle = await fs.promises.open(this.outDir, 'r');
    await dirHandle.sync().finally(() => dirHandle.close());
    return bundleManifest;
  }

  /** Removes what this export wrote: the whole folder if we made it, else only our files. */
  async remove(): Promise<void> {
    if (this.createdDir) {
      await fs.promises.rm(this.outDir, { recursive: true, force: true });
      return;
    }
    for (const name of [...Object.values(BUNDLE_FILES), `${BUNDLE_FILES.payload}.partial`]) {
      await fs.promises.rm(path.join(this.outDir, name), { force: true });
    }
  }
}
