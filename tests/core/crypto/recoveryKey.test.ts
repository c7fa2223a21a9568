import { beforeAll, describe, expect, it } from 'vitest';
import { ensureSodium, formatRecoveryKey, generateRecoverySecret, parseRecoveryKey } from '../../../src/main/core/crypto/index.js';
import { errorCodeOf } from '../coreFixtures.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

describe('recovery keys', () => {
  beforeAll(ensureSodium);

  it('prints 256 random bits as 14 groups of 5 and reads them back, forgivingly', () => {
    const secret = generateRecoverySecret();
    const text = formatRecoveryKey(secret);
    expect(text).toMatch(/^([0-9A-HJKMNP-TV-Z]{5}-){13}[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(parseRecoveryKey(text)).toEqual(secret);
    const handwritten = text.toLowerCase().replace(/-/g, '  ').replace(/0/g, 'o').replace(/1/g, 'l');
    expect(parseRecoveryKey(`\n ${handwritten} \n`)).toEqual(secret);
  });

  it('catches every single-character substitution and every swap of neighbours', async () => {
    const text = formatRecoveryKey(generateRecoverySecret());
    let typos = 0;
    for (let i = 0; i < text.length; i += 1) {
      if (text[i] === '-') continue;
      for (const char of ALPHABET) {
        if (char === text[i]) continue;
        typos += 1;
        expect(await errorCodeOf(() => parseRecoveryKey(text.slice(0, i) + char + text.slice(i + 1)))).toBe('INVALID_INPUT');
      }
      const next = text[i + 1];
      if (next && next !== '-' && next !== text[i]) {
        typos += 1;
        expect(await errorCodeOf(() => parseRecoveryKey(text.slice(0, i) + next + text[i] + text.slice(i + 2)))).toBe('INVALID_INPUT');
      }
    }
    expect(typos).toBeGreaterThan(2000);
  });

  it('names the group with the typo, and refuses wrong lengths and foreign characters', async () => {
    const text = formatRecoveryKey(generateRecoverySecret());
    const groups = text.split('-');
    groups[4] = `${groups[4]?.slice(0, 2)}${groups[4]?.[2] === 'A' ? 'B' : 'A'}${groups[4]?.slice(3)}`;
    expect(() => parseRecoveryKey(groups.join('-'))).toThrow(/group 5/);
    expect(() => parseRecoveryKey(text.slice(0, -6))).toThrow(/characters/);
    expect(() => parseRecoveryKey(`${text.slice(0, -1)}U`)).toThrow(/"U"/);
  });
});
