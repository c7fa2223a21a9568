/** The crypto room's door: intent-level operations; nothing outside crypto/ touches libsodium. */
export { ensureSodium } from './sodium.js';
export type { SecretKey, FieldCiphertext, WrappedKey, Plaintext } from './secretTypes.js';
export { randomBytes, randomId } from './random.js';
export { sealField, openField, wrapKey, unwrapKey, nonceOf, CIPHER_FORMAT_VERSION } from './fieldCipher.js';
export type { FieldContext, WrapContext } from './fieldCipher.js';
export {
  generateKey, wipeKey, isAllZero, deriveSubkey, keyedDigest, constantTimeEqual, toBase64, fromBase64, KEY_BYTES,
} from './keys.js';
export {
  deriveKeyEncryptionKey, validateKdfParams, newKdfParams, acceptDerivedKey, KDF_FLOOR, KDF_CEILING, KDF_PRESETS, KdfParamsSchema,
} from './kdf.js';
export type { KdfParams, KdfPreset } from './kdf.js';
export {
  BlobSealer, BlobOpener, BLOB_CHUNK_BYTES, BLOB_HEADER_BYTES, BLOB_SEALED_CHUNK_BYTES, BLOB_CHUNK_OVERHEAD, sealedBlobSize,
} from './blobCipher.js';
export type { BlobContext } from './blobCipher.js';
export { createSha256, sha256Hex } from './hashing.js';
export type { Sha256Stream } from './hashing.js';
export { generateSigningKeyPair, signDetached, verifyDetached } from './signing.js';
export type { SigningKeyPair } from './signing.js';
export { AgeError } from './AgeError.js';
export type { AgeErrorCode } from './AgeError.js';
export { MinisignError } from './MinisignError.js';
export type { MinisignErrorCode } from './MinisignError.js';
export {
  AGE_CHUNK_BYTES, AGE_MAX_HEADER_BYTES, AGE_PAYLOAD_NONCE_BYTES, AGE_TAG_BYTES, parseAgeHeader, agePayloadPlainSize, agePayloadSealedSize,
} from './ageFormat.js';
export type { AgeHeader, AgeStanza } from './ageFormat.js';
export {
  parseAgeRecipient, parseAgeIdentityFile, generateAgeIdentity, ageRecipientOf, ageRecipientFingerprint, wipeAgeKeys,
} from './ageKeys.js';
export type { AgeRecipient, AgeIdentity, AgePassphrase, AgeDecryptionKey } from './ageKeys.js';
export { AgeEncryptor, AGE_MAX_SCRYPT_WORK_FACTOR } from './ageEncryptor.js';
export { AgeSealWorker } from './AgeSealWorker.js';
export { stopIdleBlobOpenWorkers } from './BlobOpenWorker.js';
export type { AgeEncryptTarget } from './ageEncryptor.js';
export { openAgeHeader, AgePayloadDecryptor } from './ageDecryptor.js';
export { signManifest, verifyManifestSignature, minisignKeyOf } from './minisign.js';
export {
  formatMinisignPublicKeyFile, parseMinisignPublicKey, minisignPublicKeyBase64, minisignKeyIdHex, parseMinisignSignature,
} from './minisignFormat.js';
export type { MinisignPublicKey, MinisignSignature } from './minisignFormat.js';
export { generateRecoverySecret, formatRecoveryKey, parseRecoveryKey, deriveRecoveryWrappingKey } from './recoveryKey.js';
