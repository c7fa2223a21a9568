import type * as NodeCrypto from 'node:crypto';

export type OpenedChunk = { tag: number; message: Uint8Array };

export type SecretstreamPull = {
  /** The message and its tag, or null when the chunk does not authenticate (nothing of it is returned then). */
  pull(sealed: Uint8Array, additionalData: Uint8Array): OpenedChunk | null;
  wipe(): void;
};

/** A stream opened by libsodium itself: its state struct in the WASM heap, and its own pull. */
export type LibsodiumPullStream = {
  /** crypto_secretstream_xchacha20poly1305_state as laid out in the heap: k[32], then nonce[12]. Fetched anew each time (the heap can move). */
  state(): Uint8Array;
  pull(sealed: Uint8Array, additionalData: Uint8Array): OpenedChunk | null;
};

/**
 * libsodium's crypto_secretstream_xchacha20poly1305 pull on node:crypto's native ChaCha20-Poly1305,
 * about four times faster here than libsodium's WASM: the blob opening worker uses it for large
 * media. It starts from, and hands some chunks back to, a stream libsodium opened.
 *
 * Why this is the same construction: a secretstream chunk's MAC is Poly1305, keyed by ChaCha20
 * block 0, over the additional data, then a 64-byte block holding the encrypted tag byte followed
 * by ChaCha20 block 1 (which encrypted zeros), then the message encrypted from block 2, each padded
 * to 16 bytes, then both lengths. That is the IETF ChaCha20-Poly1305 AEAD of the plaintext
 * [tag, 63 zeros] + message, with one difference: libsodium pads the message with (length mod 16)
 * zero bytes, where the AEAD pads to the next multiple of 16. They agree when the length mod 16 is
 * 0 or 8, which every full 64 KiB chunk is; any other chunk (a blob's last) goes to libsodium, with
 * the state written into its heap before and read back after. The AEAD checks the MAC before
 * anything is used. Then, as libsodium does: the nonce's last 8 bytes are XORed with the MAC, its
 * 4-byte counter goes up, and the key is renewed after a REKEY tag or when the counter wraps. The
 * tests compare it with libsodium's pull on random streams.
 *
 * Self-contained (nothing imported is used at run time) because the worker is given its source text.
 */
export function makeSecretstreamPull(nodeCrypto: typeof NodeCrypto, libsodium: LibsodiumPullStream): SecretstreamPull {
  const TAG_REKEY = 2;
  const MAC_BYTES = 16;
  const STATE_BYTES = 44;
  // libsodium's state: the key, then the nonce (a 4-byte little-endian counter and 8 more bytes).
  const state = Buffer.from(libsodium.state().subarray(0, STATE_BYTES));
  const key = state.subarray(0, 32);
  const nonce = state.subarray(32, 44);
  const zeros = Buffer.alloc(64);
  const counterAndNonce = Buffer.alloc(16);
  const keystream = (blockCounter: number, input: Uint8Array): Buffer => {
    counterAndNonce.writeUInt32LE(blockCounter, 0);
    nonce.copy(counterAndNonce, 4);
    return nodeCrypto.createCipheriv('chacha20', key, counterAndNonce).update(input);
  };
  const rekey = (): void => {
    const renewed = keystream(0, Buffer.concat([key, nonce.subarray(4, 12)]));
    renewed.copy(key, 0, 0, 32);
    renewed.copy(nonce, 4, 32, 40);
    renewed.fill(0);
    nonce.writeUInt32LE(1, 0);
  };
  const pullInLibsodium = (sealed: Uint8Array, additionalData: Uint8Array): OpenedChunk | null => {
    libsodium.state().set(state);
    const opened = libsodium.pull(sealed, additionalData);
    state.set(libsodium.state().subarray(0, STATE_BYTES));
    return opened;
  };
  return {
    pull(sealed, additionalData) {
      if (sealed.length < 1 + MAC_BYTES) return null;
      const messageEnd = sealed.length - MAC_BYTES;
      const padding = (messageEnd - 1) & 15;
      if (padding !== 0 && padding !== 8) return pullInLibsodium(sealed, additionalData);
      const tagBlock = keystream(1, zeros);
      tagBlock[0] = sealed[0] as number;
      const decipher = nodeCrypto.createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: MAC_BYTES });
      decipher.setAAD(additionalData, { plaintextLength: 64 + messageEnd - 1 });
      const tagPlain = decipher.update(tagBlock);
      const message = decipher.update(sealed.subarray(1, messageEnd));
      decipher.setAuthTag(sealed.subarray(messageEnd));
      try {
        decipher.final();
      } catch {
        message.fill(0);
        return null;
      }
      const tag = tagPlain[0] as number;
      for (let i = 0; i < 8; i += 1) nonce[4 + i] = (nonce[4 + i] as number) ^ (sealed[messageEnd + i] as number);
      const counter = (nonce.readUInt32LE(0) + 1) >>> 0;
      nonce.writeUInt32LE(counter, 0);
      if ((tag & TAG_REKEY) !== 0 || counter === 0) rekey();
      return { tag, message };
    },
    wipe() {
      state.fill(0);
      libsodium.state().fill(0);
    },
  };
}
