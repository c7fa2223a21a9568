import type { BundleManifest } from './bundleManifestSchema.js';

/** README.txt of a transfer bundle: what it is, who may open it, and how to check it with standard tools. */
export function transferReadmeText(manifest: Omit<BundleManifest, 'companions'>): string {
  const records = manifest.files.filter((file) => file.path.startsWith('records/')).length;
  const media = manifest.files.filter((file) => file.path.startsWith('media/')).length;
  return `Testimony Vault transfer ${manifest.bundleId}
Created ${manifest.createdAt} by Testimony Vault ${manifest.appVersion}, profile "transfer".
${records} record version file${records === 1 ? '' : 's'} and ${media} original media file${media === 1 ? '' : 's'}.

THIS BUNDLE IS NOT REDACTED. It carries full testimonies, the names of the people in them and the
original media, for the documenting organisation's own central archive. It is encrypted to the
archive's age key only. Do not open it anywhere else, and do not unpack it to a disk: merge it.

This folder holds:
  payload.age             the records, media and custody logs: a tar archive encrypted with age
  manifest.json           what the bundle contains, with the SHA-256 of payload.age
  manifest.json.minisig   the sending vault's minisign signature of manifest.json
  SHA256SUMS              SHA-256 of every file here
  README.txt              this file
  viewer.html             the export viewer; it does not open transfer bundles (they are for a vault)

Signed by minisign key ${manifest.exporter.keyId}:
  ${manifest.exporter.publicKey}
Do not trust this line: compare the key with the one the sending documenter gave you by another
channel (they print it with \`tvault identity <vault> --minisign-pub\`).

To merge it into the archive vault (it checks everything before it writes anything):
     tvault merge <archive vault> . --identity key.txt

To check it without merging (no decryption):
     sha256sum -c SHA256SUMS
     minisign -Vm manifest.json -p sender.pub
   It must say "Signature and comment signature verified" and print the trusted comment
     tvault-bundle ${manifest.bundleId} payload.age sha256=${manifest.payload.sha256}
`;
}
