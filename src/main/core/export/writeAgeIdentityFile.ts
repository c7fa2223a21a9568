import fs from 'node:fs';
import { ensureSodium, generateAgeIdentity } from '../crypto/index.js';

/**
 * `tvault keygen --out key.txt`: a new age X25519 identity in the `age-keygen` file format, written
 * with mode 0600 to a file that must not exist yet. Returns the `age1…` recipient to give out.
 */
export async function writeAgeIdentityFile(outPath: string, now: Date): Promise<{ recipient: string }> {
  await ensureSodium();
  const { recipient, fileText } = generateAgeIdentity(now);
  const handle = await fs.promises.open(outPath, 'wx', 0o600);
  try {
    await handle.writeFile(fileText);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { recipient };
}
