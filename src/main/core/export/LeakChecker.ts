import { foldDigits, normalizeText } from '../search/normalizeText.js';
import type { LeakNeedle } from '../redaction/resolveRedactionRules.js';
import { ByteMatcher } from './ByteMatcher.js';
import type { LeakFinding } from './exportReport.js';

/**
 * The last line of defence before a bundle is sealed. It does not reuse the redactor's matching:
 * it normalises whole files with the search normalisation and looks for every redacted string in
 * three forms (normalised text, letters and digits only, digits only with any separators), and
 * scans every byte of every file for the strings in UTF-8 and UTF-16. Pseudonyms are blanked first
 * so `[PERSON-1]` never counts as the text "person".
 */
// و/ف, then ب/ل/ك or لل, then the article: each optional (written again here, independent of the redactor).
const ARABIC_PROCLITICS = '(?:[وف]?(?:لل|[بلك])?(?:ال)?)';
const ARABIC = /[\u0600-\u06FF]/;
const MIN_NEEDLE_CHARS = 3;
const LONG_NEEDLE_CHARS = 8;
// Shorter byte strings turn up by chance in a gigabyte of compressed media (letters match in either case).
const MIN_BINARY_BYTES = 8;

type TextProbe = { needle: LeakNeedle; variant: LeakFinding['variant']; test: (forms: Forms) => boolean };
type Forms = { normalised: string; skeleton: string; digits: string };
type BinaryValue = { needle: LeakNeedle; variant: string };

function collapse(text: string): string {
  return normalizeText(text).replace(/\s+/gu, ' ').trim();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function digitVariants(digits: string): string[] {
  const variants = new Set([digits]);
  let rest = digits.replace(/^00/, '');
  variants.add(rest);
  if (rest.startsWith('963')) rest = rest.slice(3);
  variants.add(rest);
  variants.add(rest.replace(/^0/, ''));
  return [...variants].filter((variant) => variant.length >= 6);
}

function utf16(text: string, bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    out[i * 2 + (bigEndian ? 1 : 0)] = code & 0xff;
    out[i * 2 + (bigEndian ? 0 : 1)] = code >> 8;
  }
  return out;
}

export class LeakChecker {
  private readonly probes: TextProbe[] = [];
  private readonly matcher: ByteMatcher<BinaryValue>;
  private readonly pseudonymPattern: RegExp | null;

  constructor(needles: readonly LeakNeedle[], pseudonyms: readonly string[]) {
    const list = [...new Set(pseudonyms)].filter((p) => p.length > 0).sort((a, b) => b.length - a.length);
    this.pseudonymPattern = list.length > 0 ? new RegExp(list.map(escape).join('|'), 'gu') : null;
    const binary: { bytes: Uint8Array; value: BinaryValue }[] = [];
    const encoder = new TextEncoder();
    // Each string is looked for once, and a finding names the first needle that brought it: an
    // export of a thousand items that all redact the same cellmate checks each file for him once,
    // not a thousand times over.
    const seen = new Set<string>();
    const firstTime = (key: string): boolean => {
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    };
    for (const needle of needles) {
      for (const variant of needle.variants) {
        const normalised = collapse(variant);
        if ([...normalised].length < MIN_NEEDLE_CHARS) continue;
        if (!firstTime(`normalised\0${normalised}`)) {
          // Looked for already, under an earlier needle.
        } else if ([...normalised].length >= LONG_NEEDLE_CHARS) {
          this.probes.push({ needle, variant: 'normalised', test: (forms) => forms.normalised.includes(normalised) });
        } else {
          const before = ARABIC.test(normalised.charAt(0)) ? `(?<![\\p{L}\\p{N}])${ARABIC_PROCLITICS}` : '(?<![\\p{L}\\p{N}])';
          const pattern = new RegExp(`${before}${escape(normalised)}(?![\\p{L}\\p{N}])`, 'u');
          this.probes.push({ needle, variant: 'normalised', test: (forms) => pattern.test(forms.normalised) });
        }
        const skeleton = normalised.replace(/[^\p{L}\p{N}]/gu, '');
        if (skeleton.length >= LONG_NEEDLE_CHARS && /\p{L}/u.test(skeleton) && firstTime(`letters-only\0${skeleton}`)) {
          this.probes.push({ needle, variant: 'letters-only', test: (forms) => forms.skeleton.includes(skeleton) });
        }
        const digits = foldDigits(normalised).replace(/\D/g, '');
        if (digits.length >= 6 && digits.length * 2 >= skeleton.length) {
          for (const form of digitVariants(digits).filter((candidate) => firstTime(`digits\0${candidate}`))) {
            const wholeRun = new RegExp(`(?<!\\d)${form}(?!\\d)`);
            this.probes.push({
              needle,
              variant: 'digits',
              test: (forms) => (form.length >= 9 ? forms.digits.includes(form) : wholeRun.test(forms.digits)),
            });
            if (form.length >= 9) binary.push({ bytes: encoder.encode(form), value: { needle, variant: 'bytes-digits' } });
          }
        }
        // The bytes follow the text as written (NFC, NFD), not only its normalised form.
        for (const text of new Set([variant, variant.normalize('NFC'), variant.normalize('NFD'), normalised])) {
          if (!firstTime(`bytes\0${text}`)) continue;
          binary.push({ bytes: encoder.encode(text), value: { needle, variant: 'bytes-utf8' } });
          binary.push({ bytes: utf16(text, false), value: { needle, variant: 'bytes-utf16le' } });
          binary.push({ bytes: utf16(text, true), value: { needle, variant: 'bytes-utf16be' } });
        }
      }
    }
    this.matcher = new ByteMatcher(binary.filter((pattern) => pattern.bytes.length >= MIN_BINARY_BYTES));
  }

  private forms(text: string): Forms {
    const blanked = this.pseudonymPattern ? text.replace(this.pseudonymPattern, ' ') : text;
    const normalised = collapse(blanked);
    return {
      normalised,
      skeleton: normalised.replace(/[^\p{L}\p{N}]/gu, ''),
      digits: normalised.replace(/(?<=\d)[ \-./()]+(?=\d)/g, ''),
    };
  }

  /** Checks a text file as written, and, for JSON, every string value decoded (so `\u` escapes hide nothing). */
  checkText(file: string, text: string): LeakFinding[] {
    const haystacks = [text];
    if (file.endsWith('.json')) {
      try {
        const strings: string[] = [];
        const walk = (value: unknown): void => {
          if (typeof value === 'string') strings.push(value);
          else if (Array.isArray(value)) value.forEach(walk);
          else if (value && typeof value === 'object') Object.values(value).forEach(walk);
        };
        walk(JSON.parse(text));
        haystacks.push(strings.join('\n'));
      } catch {
        // Not JSON after all: the raw text was still checked.
      }
    }
    const findings = new Map<string, LeakFinding>();
    for (const haystack of haystacks) {
      const forms = this.forms(haystack);
      for (const probe of this.probes) {
        const key = `${probe.needle.id}\0${probe.variant}`;
        if (!findings.has(key) && probe.test(forms)) {
          findings.set(key, { file, category: probe.needle.category, needleId: probe.needle.id, pseudonym: probe.needle.pseudonym, variant: probe.variant });
        }
      }
    }
    return [...findings.values()];
  }

  /** Streams a media file's bytes through the byte matcher (text files get `checkText`, which decodes every byte). */
  binaryScanner(file: string): { push(bytes: Uint8Array): void; finish(): LeakFinding[] } {
    const scanner = this.matcher.scanner();
    const findings = new Map<string, LeakFinding>();
    return {
      push: (bytes) => {
        for (const hit of scanner.push(bytes)) {
          const key = `${hit.needle.id}\0${hit.variant}`;
          if (!findings.has(key)) findings.set(key, { file, category: hit.needle.category, needleId: hit.needle.id, pseudonym: hit.needle.pseudonym, variant: hit.variant });
        }
      },
      finish: () => [...findings.values()],
    };
  }
}
