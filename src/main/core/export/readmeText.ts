import type { BundleManifest } from './bundleManifestSchema.js';

/** README.txt: what the bundle is and the exact commands that check and open it with standard tools. */
export function readmeText(manifest: Omit<BundleManifest, 'companions'>): string {
  const passphrase = manifest.payload.recipients.some((recipient) => recipient.type === 'scrypt');
  const decrypt = passphrase ? 'age -d payload.age' : 'age -d -i key.txt payload.age';
  return `Testimony Vault export ${manifest.bundleId}
Created ${manifest.createdAt} by Testimony Vault ${manifest.appVersion}, profile "${manifest.profile}".
${manifest.items.length} testimon${manifest.items.length === 1 ? 'y' : 'ies'}: ${manifest.items.map((item) => item.controlNumber).join(', ')}

This folder holds:
  payload.age             the redacted testimonies, media and logs: a tar archive encrypted with age
  manifest.json           what the bundle contains, with the SHA-256 of payload.age
  manifest.json.minisig   the exporter's minisign signature of manifest.json
  SHA256SUMS              SHA-256 of every file here
  README.txt              this file
  viewer.html             an offline viewer (open it in a browser; it makes no network connection)

Signed by minisign key ${manifest.exporter.keyId}:
  ${manifest.exporter.publicKey}
Do not trust this line: compare the key with the one the documenting organisation gave you by
another channel (they print it with \`tvault identity <vault> --minisign-pub\`). Save it as exporter.pub.

1. Check that no file changed:
     sha256sum -c SHA256SUMS

2. Check the signature:
     minisign -Vm manifest.json -p exporter.pub
   It must say "Signature and comment signature verified" and print the trusted comment
     tvault-bundle ${manifest.bundleId} payload.age sha256=${manifest.payload.sha256}
   That hash must equal the payload.age line of SHA256SUMS:
     grep ' payload.age$' SHA256SUMS

3. Decrypt and unpack (${passphrase ? 'age asks for the passphrase' : 'key.txt is your age identity file'}):
     mkdir payload
     ${decrypt} | tar -x --no-same-owner --no-same-permissions -C payload

4. Check the contents:
     cd payload
     sha256sum -c SHA256SUMS
     minisign -Vm manifest.json -p ../exporter.pub

Every file inside is listed in payload/manifest.json. testimonies/<control number>.json are the
redacted testimonies, media/ the cleaned media, REDACTION_LOG.csv says what was replaced where
(never the replaced text), and CUSTODY.csv gives each file's chain of custody.

Safer than steps 3 and 4 (it checks everything before writing anything):
     tvault bundle open . --identity key.txt --out <new folder>
Or open viewer.html in a browser, choose payload.age (with manifest.json and manifest.json.minisig
to check the signature too), and enter your identity or passphrase. Nothing leaves the computer.
`;
}
