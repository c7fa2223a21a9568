import { describe, expect, it } from 'vitest';
import { MIN_PASSPHRASE_CHARS } from '../../src/main/core/vault/passphrasePolicy.js';
import { MIN_NEW_PASSPHRASE_CHARS, passphraseStrength } from '../../src/shared/passphraseStrength.js';

describe('passphrase strength feedback', () => {
  it('uses the same minimum length as core', () => {
    expect(MIN_NEW_PASSPHRASE_CHARS).toBe(MIN_PASSPHRASE_CHARS);
    expect(passphraseStrength('a'.repeat(MIN_PASSPHRASE_CHARS - 1)).level).toBe('too-short');
  });

  it('calls short, repetitive or single-word choices weak and several unrelated words strong', () => {
    expect(passphraseStrength('aaaaaaaaaaaa').level).toBe('weak');
    expect(passphraseStrength('password12').level).toBe('weak');
    expect(passphraseStrength('correct horse battery').level).toBe('fair');
    expect(passphraseStrength('correct horse battery staple lantern river').level).toBe('strong');
    expect(passphraseStrength('قمر بحر شجرة نافذة طريق جبل').level).toBe('strong');
  });

  it('never rises when a word is repeated', () => {
    expect(passphraseStrength('river river river river river river').bits).toBeLessThan(passphraseStrength('river lantern copper meadow violin harbor').bits);
  });
});
