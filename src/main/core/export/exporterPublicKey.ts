import { formatMinisignPublicKeyFile, minisignKeyIdHex, minisignKeyOf, minisignPublicKeyBase64 } from '../crypto/index.js';
import type { VaultSession } from '../vault/VaultSession.js';

export type ExporterPublicKey = { keyId: string; publicKey: string; fileText: string };

/** The vault's signing key as minisign shows it; `fileText` is what `tvault identity --minisign-pub` prints. */
export function exporterPublicKey(session: VaultSession): ExporterPublicKey {
  const key = minisignKeyOf(session.signingPublicKey);
  return { keyId: minisignKeyIdHex(key.keyId), publicKey: minisignPublicKeyBase64(key), fileText: formatMinisignPublicKeyFile(key) };
}
