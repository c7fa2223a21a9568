declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Raw key bytes that must be zeroed with `wipeKey` when no longer needed. */
export type SecretKey = Brand<Uint8Array, 'SecretKey'>;
/** Output of `sealField`: format byte || nonce || AEAD ciphertext. */
export type FieldCiphertext = Brand<Uint8Array, 'FieldCiphertext'>;
/** Output of `wrapKey`: a data/master key sealed under another key. */
export type WrappedKey = Brand<Uint8Array, 'WrappedKey'>;
/** Decrypted bytes of a field; never persisted. */
export type Plaintext = Brand<Uint8Array, 'Plaintext'>;
