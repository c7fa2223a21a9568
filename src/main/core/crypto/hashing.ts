import { createHash, type Hash } from 'node:crypto';

/** Streaming SHA-256 for intake hashes (native, so it overlaps cheaply with encryption). */
export type Sha256Stream = { update(bytes: Uint8Array): void; digestHex(): string };

export function createSha256(): Sha256Stream {
  const hash: Hash = createHash('sha256');
  return {
    update: (bytes) => void hash.update(bytes),
    digestHex: () => hash.digest('hex'),
  };
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
