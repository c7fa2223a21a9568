import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureSodium, sha256Hex } from '../../../src/main/core/crypto/index.js';
import { LeakChecker } from '../../../src/main/core/export/LeakChecker.js';
import type { PersonView } from '../../../src/main/core/records/persons.js';
import type { PersonRole } from '../../../src/main/core/records/personSchema.js';
import { applyRedactions } from '../../../src/main/core/redaction/applyRedactions.js';
import { normalizeWithOffsets } from '../../../src/main/core/redaction/normalizeWithOffsets.js';
import { parseRedactionPlan } from '../../../src/main/core/redaction/parseRedactionPlan.js';
import { PseudonymRegistry } from '../../../src/main/core/redaction/PseudonymRegistry.js';
import { REDACTION_PLAN_FORMAT, type RedactionPlanInput } from '../../../src/main/core/redaction/redactionPlanSchema.js';
import { resolveRedactionRules, type RedactionPolicy } from '../../../src/main/core/redaction/resolveRedactionRules.js';
import { suggestRedactions, type RedactionSubject } from '../../../src/main/core/redaction/suggestRedactions.js';

const ANONYMISE: RedactionPolicy = { anonymise: true, fullAnonymisation: false };
const TESTIMONY_ID = 'a'.repeat(32);

function person(name: string, aliases: string[] = [], extra: Partial<PersonView> = {}): PersonView {
  return { id: sha256Hex(name).slice(0, 32), version: 1, name, aliases, ...extra };
}

const samir = person('Samir Youssef Qassem', ['Sameer Yusuf Kassem', 'سمير يوسف قاسم'], { phone: '+963 933 410 552', nationalId: '02110498765', email: 's.qassem@example.net', birthDate: '1985-06-03' });
const nour = { ...person('Nour Hamdan', ['نور حمدان']), role: 'missing' as PersonRole };
const abuAli = { ...person('Abu Ali', ['أبو علي']), role: 'perpetrator' as PersonRole };

function subject(transcript: string, extra: Partial<RedactionSubject> = {}): RedactionSubject {
  return {
    testimonyId: TESTIMONY_ID, version: 1,
    fields: { title: 'Title', summary: '', transcript, interviewPlace: '', interviewer: '' },
    otherTexts: [], interviewee: samir, persons: [nour, abuAli], ...extra,
  };
}

function redact(transcript: string, options: { policy?: RedactionPolicy; plan?: RedactionPlanInput; registry?: PseudonymRegistry } = {}) {
  const s = subject(transcript);
  const { generated } = suggestRedactions(s);
  const registry = options.registry ?? new PseudonymRegistry();
  const resolved = resolveRedactionRules(s, generated, options.plan ? parseRedactionPlan(options.plan) : null, options.policy ?? ANONYMISE, registry);
  return { ...resolved, result: applyRedactions(transcript, 'transcript', resolved.rules), generated };
}

const text = (transcript: string, options: Parameters<typeof redact>[1] = {}) => redact(transcript, options).result.text;

describe('normalizeWithOffsets', () => {
  it('maps every normalised character back to where it was, absorbing harakat and tatweel', () => {
    const original = 'سَمِيــر  Çelik';
    const normalized = normalizeWithOffsets(original);
    expect(normalized.text).toBe('سمير celik');
    expect(original.slice(normalized.start[0], normalized.end[3])).toBe('سَمِيــر');
    expect(original.slice(normalized.start[5], normalized.end[9])).toBe('Çelik');
  });

  it('keeps the maps ordered and inside the original for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'B', ' ', '\u064e', '\u0640', 'ß', 'ﬁ', '٣', 'أ', '\u200d', '😀', 'é', '\n') }), (original) => {
        const normalized = normalizeWithOffsets(original);
        expect(normalized.start.length).toBe(normalized.text.length);
        for (let i = 0; i < normalized.text.length; i += 1) {
          const start = normalized.start[i] ?? -1;
          const end = normalized.end[i] ?? -1;
          expect(start).toBeGreaterThanOrEqual(0);
          expect(end).toBeGreaterThan(start);
          expect(end).toBeLessThanOrEqual(original.length);
          if (i > 0) expect(start).toBeGreaterThanOrEqual(normalized.start[i - 1] ?? 0);
        }
      }),
    );
  });
});

describe('applyRedactions', () => {
  beforeAll(async () => {
    await ensureSodium();
  });

  it('finds names and aliases across Arabic and Latin, with harakat, alef forms, tatweel, proclitics, case and hyphens', () => {
    expect(text('I am Samir Youssef Qassem.')).toBe('I am [WITNESS-1].');
    expect(text('SAMEER YUSUF KASSEM said')).toBe('[WITNESS-1] said');
    expect(text('قال سَمِيـر يُوسُف قاسِم')).toBe('قال [WITNESS-1]');
    expect(text('ومع نور حمدان وأبو علي')).toBe('ومع [PERSON-1] و[PERSON-2]');
    expect(text('إبو علي، أبو علي، ابو علي')).toBe('[PERSON-2]، [PERSON-2]، [PERSON-2]');
    expect(text('Samir-Youssef-Qassem and samir')).toBe('[WITNESS-1] and [WITNESS-1]');
    expect(text('وسمير وللسمير')).toBe('و[WITNESS-1] ولل[WITNESS-1]');
  });

  it('redacts parts of a protected person\'s name on word boundaries, never inside other words, and not a perpetrator\'s', () => {
    expect(text('Qassem was beaten; Samira and Nourish are other words; Ali stayed')).toBe('[WITNESS-1] was beaten; Samira and Nourish are other words; Ali stayed');
    expect(text('the Hamdan family')).toBe('the [PERSON-1] family');
  });

  it('finds phone numbers in every spacing, with or without the country code, in Arabic-Indic digits', () => {
    for (const phone of ['+963 933 410 552', '00963933410552', '0933-410-552', '٠٩٣٣ ٤١٠ ٥٥٢', '(0933) 410 552', '+963 (0) 933 410 552', '963933410552', '933 410 552']) {
      expect(text(`call ${phone} now`), phone).toBe('call [PHONE] now');
    }
    expect(text('a cousin on +963 944 123 456 or 0988 765 432, abroad +49 151 2345 6789')).toBe('a cousin on [PHONE] or [PHONE], abroad [PHONE]');
    expect(text('from 2012-2014 in Branch 215, cell 12, 20 men')).toBe('from 2012-2014 in Branch 215, cell 12, 20 men');
  });

  it('finds ID numbers, emails and dates of birth in their usual forms', () => {
    expect(text('ID 02110498765 and 021 104 98765')).toBe('ID [ID] and [ID]');
    expect(text('card 12345678')).toBe('card [ID]');
    expect(text('mail S.Qassem@Example.net or other.person@mail.example.org')).toBe('mail [EMAIL] or [EMAIL]');
    for (const date of ['1985-06-03', '03/06/1985', '3.6.1985', '3 June 1985', 'June 3, 1985', '3rd of June 1985', '٣/٦/١٩٨٥', '3 حزيران 1985']) {
      expect(text(`on ${date}.`), date).toBe('on [BIRTH-DATE].');
    }
    expect(text('born in 1990, date of birth: 12/01/1979, مواليد ١٩٨٨')).toBe('born in [BIRTH-DATE], date of birth: [BIRTH-DATE], مواليد [BIRTH-DATE]');
    expect(text('arrested in 1985 and in June 1985')).toBe('arrested in 1985 and in June 1985');
  });

  it('logs each replacement by category, reason and place, never by the text', () => {
    const { result } = redact('I am Samir Youssef Qassem, call 0933 410 552.');
    expect(result.events).toEqual([
      { field: 'transcript', category: 'witness-name', reason: 'interviewee name', pseudonym: '[WITNESS-1]', offset: 5 },
      { field: 'transcript', category: 'phone', reason: 'interviewee phone number', pseudonym: '[PHONE]', offset: 23 },
    ]);
  });

  it('applies the documenter\'s plan: rejections, added terms with their pseudonym, marked spans', () => {
    const transcript = 'Abu Ali took me from the bakery on Hamra street. My neighbour saw it.';
    const rejected = redact(transcript).generated.find((s) => s.category === 'person-name' && s.text === 'Abu Ali');
    const spanStart = transcript.indexOf('My neighbour');
    const plan: RedactionPlanInput = {
      format: REDACTION_PLAN_FORMAT, testimonyId: TESTIMONY_ID, testimonyVersion: 1,
      suggestions: [
        { id: rejected?.id ?? '', source: 'person', category: 'person-name', text: 'Abu Ali', decision: 'reject', reason: 'the alleged perpetrator: evidence' },
        { source: 'user', category: 'custom', text: 'bakery on Hamra street', decision: 'accept', pseudonym: '[PLACE-1]', reason: 'where the witness works' },
      ],
      spans: [{ field: 'transcript', start: spanStart, end: spanStart + 'My neighbour'.length, textSha256: sha256Hex('My neighbour'), reason: 'identifies a relative' }],
    };
    const { result, needles } = redact(transcript, { plan });
    expect(result.text).toBe('Abu Ali took me from the [PLACE-1]. [REDACTED] saw it.');
    expect(needles.map((n) => n.variants[0])).toEqual(expect.arrayContaining(['bakery on Hamra street', 'My neighbour']));
    expect(needles.map((n) => n.variants[0])).not.toContain('Abu Ali');
    // Under the public profile every generated suggestion applies, and the override is reported.
    const publicRun = redact(transcript, { plan, policy: { anonymise: true, fullAnonymisation: true } });
    expect(publicRun.result.text).toBe('[PERSON-2] took me from the [PLACE-1]. [REDACTED] saw it.');
    expect(publicRun.warnings).toEqual([expect.stringContaining('was rejected in the plan and is applied anyway')]);
  });

  it('redacts nothing generated when anonymity was not asked for, unless the plan accepts it', () => {
    expect(text('Samir Youssef Qassem, 0933 410 552', { policy: { anonymise: false, fullAnonymisation: false } })).toBe('Samir Youssef Qassem, 0933 410 552');
    const phone = redact('x').generated.find((s) => s.category === 'phone');
    const plan: RedactionPlanInput = { format: REDACTION_PLAN_FORMAT, testimonyId: TESTIMONY_ID, testimonyVersion: 1, suggestions: [{ id: phone?.id ?? '', source: 'person', category: 'phone', text: 'x', decision: 'accept' }] };
    expect(text('Samir Youssef Qassem, 0933 410 552', { policy: { anonymise: false, fullAnonymisation: false }, plan })).toBe('Samir Youssef Qassem, [PHONE]');
  });

  it('refuses a plan whose marked span no longer matches the text, and a plan for another testimony', () => {
    const plan: RedactionPlanInput = { format: REDACTION_PLAN_FORMAT, testimonyId: TESTIMONY_ID, testimonyVersion: 1, spans: [{ field: 'transcript', start: 0, end: 4, textSha256: sha256Hex('abcd') }] };
    expect(() => redact('wxyz and more', { plan })).toThrow(expect.objectContaining({ code: 'PLAN_STALE' }));
    expect(() => redact('x', { plan: { ...plan, spans: [], testimonyId: 'b'.repeat(32) } })).toThrow(expect.objectContaining({ code: 'PLAN_MISMATCH' }));
    expect(() => parseRedactionPlan({ ...plan, suggestions: [{ source: 'user', category: 'custom', text: 'x', decision: 'accept', pseudonym: '[samir]' }] })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => parseRedactionPlan({ ...plan, extra: true })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('keeps pseudonyms stable across a bundle and never lets a shared family name point at one person', () => {
    const registry = new PseudonymRegistry();
    const brother = person('Ahmad Qassem');
    const first = subject('Samir Youssef Qassem met Nour Hamdan.');
    const second = subject('Sameer Yusuf Kassem, his brother Ahmad Qassem, and Qassem alone.', { interviewee: brother, persons: [{ ...samir, role: 'witness' }] });
    const suggestions = [first, second].map((s) => suggestRedactions(s).generated);
    for (const generated of suggestions) {
      for (const suggestion of generated) {
        if (!suggestion.owner) continue;
        const pseudonym = registry.register(suggestion.owner.names, suggestion.owner.asWitness);
        if (suggestion.category === 'name-part') registry.registerPart(suggestion.text, pseudonym);
      }
    }
    const [a, b] = [first, second].map((s, i) => applyRedactions(s.fields.transcript, 'transcript', resolveRedactionRules(s, suggestions[i] ?? [], null, ANONYMISE, registry).rules).text);
    expect(a).toBe('[WITNESS-1] met [PERSON-1].');
    expect(b).toBe('[WITNESS-1], his brother [WITNESS-2], and [NAME] alone.');
  });

  it('leaves nothing the leak check can find, however the name is written (property)', () => {
    const marks = ['\u064e', '\u064f', '\u0650', '\u0651', '\u0652', '\u0640', '\u200c'];
    const arbitraryName = fc.tuple(fc.constantFrom('سمير يوسف قاسم', 'نور حمدان', 'Samir Youssef Qassem', 'Nour Hamdan'), fc.array(fc.constantFrom(...marks), { maxLength: 6 }), fc.boolean());
    const filler = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '.', 'ح', 'ع', '\n', '3'), maxLength: 30 });
    fc.assert(
      fc.property(filler, arbitraryName, filler, (before, [name, inserted, upper], after) => {
        const letters = [...(upper ? name.toUpperCase() : name)];
        inserted.forEach((mark, i) => letters.splice(1 + ((i * 3) % (letters.length - 1)), 0, mark));
        const written = `${before} ${letters.join('')} ${after}`;
        const { result, needles } = redact(written);
        const checker = new LeakChecker(needles, ['[WITNESS-1]', '[PERSON-1]', '[PERSON-2]', '[PHONE]', '[ID]', '[EMAIL]', '[BIRTH-DATE]', '[NAME]']);
        expect(checker.checkText('testimonies/TV-000001.json', result.text)).toEqual([]);
        expect(result.text).toMatch(/\[(WITNESS-1|PERSON-1)\]/);
      }),
      { numRuns: 200 },
    );
  });
});
