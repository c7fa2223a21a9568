import { signManifest } from '../crypto/index.js';
import type { VaultSession } from '../vault/VaultSession.js';
import { PAYLOAD_FILES } from './bundleLayout.js';
import { manifestJson, payloadTrustedComment, type PayloadManifest } from './bundleManifestSchema.js';
import { sanitizedBytes } from './ExportBytes.js';
import type { PayloadWriter } from './PayloadWriter.js';
import { formatSha256Sums } from './sha256Sums.js';

/**
 * The last three entries of every payload: manifest.json (built from typed values), its minisign
 * signature by the vault key, and SHA256SUMS of every entry before it.
 */
export async function addPayloadManifest(writer: PayloadWriter, session: VaultSession, payloadManifest: PayloadManifest): Promise<void> {
  const encoder = new TextEncoder();
  const payloadManifestBytes = sanitizedBytes(encoder.encode(manifestJson(payloadManifest)));
  const payloadSignature = signManifest(session.key('signingSecretKey'), session.signingPublicKey, payloadManifestBytes, payloadTrustedComment(payloadManifest));
  await writer.addTextFile(PAYLOAD_FILES.manifest, payloadManifestBytes);
  await writer.addTextFile(PAYLOAD_FILES.signature, sanitizedBytes(encoder.encode(payloadSignature)));
  await writer.addTextFile(PAYLOAD_FILES.checksums, sanitizedBytes(encoder.encode(formatSha256Sums(writer.files))));
}
