import { describe, expect, it } from 'vitest';
import { revealBidiControls } from '../../src/renderer/src/media/revealBidiControls.js';

describe('file names with bidi controls', () => {
  it('shows a right-to-left override as a visible code, and leaves ordinary names alone', () => {
    expect(revealBidiControls('photo\u202Egpj.exe')).toBe('photo[U+202E]gpj.exe');
    expect(revealBidiControls('\u2067صورة\u2069.jpg')).toBe('[U+2067]صورة[U+2069].jpg');
    expect(revealBidiControls('interview 2014.m4a')).toBe('interview 2014.m4a');
  });
});
