import type { TestimonyImport } from '../src/main/core/records/testimonySchema.js';
import type { IndexDocument, IndexEntity } from '../src/main/core/search/indexDocument.js';
import { matchKey } from '../src/main/core/search/normalizeText.js';
import { CONSENT_SCOPES, TESTIMONY_STATUSES } from '../src/main/core/records/testimonySchema.js';
import { VOCABULARY_SEED } from '../src/main/core/records/vocabularySeed.js';
import { seededRandom, type SeededRandom } from '../tests/helpers/seededRandom.js';

/**
 * A reproducible synthetic corpus for the search benchmark and its small-corpus test: testimonies of
 * about 3 KB, half Arabic (some words with harakat, some tatweel, some Arabic-Indic digits) and half
 * English, mentioning seeded facilities, units and violations by their various aliases, and people
 * by recorded and unrecorded spellings. Each testimony depends only on (seed, index), so any one of
 * them can be regenerated without the others.
 */
export type SyntheticTestimony = {
  index: number;
  language: 'ar' | 'en';
  /** What VaultService.addTestimony takes. */
  input: TestimonyImport & { reference: string; transcript: string; summary: string; title: string };
  /** Whether the benchmark attaches a small media file to it. */
  hasMedia: boolean;
};

export type SearchCorpusOptions = { seed: number; count: number; targetBytes?: number };

type Rng = SeededRandom;

function mixSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Given names and family names: recorded Latin spellings first, then the Arabic. */
export const FIRST_NAMES: readonly (readonly string[])[] = [
  ['Mohamad', 'Muhammad', 'Mohammed', 'Mohammad', 'محمد'], ['Ahmad', 'Ahmed', 'أحمد'], ['Youssef', 'Yousef', 'Yusuf', 'يوسف'],
  ['Omar', 'Umar', 'عمر'], ['Khaled', 'Khalid', 'خالد'], ['Ali', 'علي'], ['Hassan', 'Hasan', 'حسن'], ['Hussein', 'Husayn', 'Hussain', 'حسين'],
  ['Ibrahim', 'Ebrahim', 'إبراهيم'], ['Mahmoud', 'Mahmud', 'محمود'], ['Samir', 'Sameer', 'سمير'], ['Nour', 'Nur', 'نور'],
  ['Abdullah', 'Abdallah', 'عبد الله'], ['Mustafa', 'Moustafa', 'مصطفى'], ['Fatima', 'Fatimah', 'فاطمة'], ['Aisha', 'Aicha', 'عائشة'],
  ['Maryam', 'Mariam', 'مريم'], ['Rania', 'رانيا'], ['Hala', 'هالة'], ['Zainab', 'Zeinab', 'زينب'], ['Layla', 'Leila', 'ليلى'],
  ['Bassel', 'Basel', 'باسل'], ['Tareq', 'Tarek', 'Tariq', 'طارق'], ['Walid', 'Waleed', 'وليد'], ['Osama', 'Usama', 'أسامة'],
  ['Yasser', 'Yasir', 'ياسر'], ['Anas', 'أنس'], ['Rami', 'رامي'], ['Majd', 'مجد'], ['Hamza', 'Hamzah', 'حمزة'],
  ['Ghassan', 'غسان'], ['Firas', 'فراس'], ['Wael', 'وائل'], ['Ziad', 'Ziyad', 'زياد'], ['Karim', 'Kareem', 'كريم'],
];
export const FAMILY_NAMES: readonly (readonly string[])[] = [
  ['Darwich', 'Darwish', 'درويش'], ['Qassem', 'Kassem', 'Qasim', 'قاسم'], ['Hamdan', 'حمدان'], ['al-Haddad', 'Haddad', 'الحداد'],
  ['Khatib', 'al-Khatib', 'الخطيب'], ['al-Masri', 'Masri', 'المصري'], ['Halabi', 'al-Halabi', 'الحلبي'], ['al-Shami', 'Chami', 'الشامي'],
  ['Abboud', 'Aboud', 'عبود'], ['Sabbagh', 'Sabagh', 'الصباغ'], ['Najjar', 'al-Najjar', 'النجار'], ['Suleiman', 'Sulayman', 'سليمان'],
  ['Othman', 'Uthman', 'عثمان'], ['Khoury', 'Khouri', 'خوري'], ['Hijazi', 'Hejazi', 'حجازي'], ['Jaber', 'Jabir', 'جابر'],
  ['Mansour', 'Mansur', 'منصور'], ['al-Rifai', 'Rifai', 'الرفاعي'], ['al-Kurdi', 'Kurdi', 'الكردي'], ['al-Zoubi', 'Zoubi', 'الزعبي'],
  ['Barakat', 'بركات'], ['Hourani', 'Horani', 'الحوراني'], ['Tlass', 'طلاس'], ['Shaheen', 'Shahin', 'شاهين'], ['Saleh', 'Salih', 'صالح'],
];
/** Spellings no record holds: only tolerant mode should connect them to the recorded ones. */
const UNRECORDED_FIRST: Record<string, string> = { Mohamad: 'Mouhamad', Youssef: 'Youcef', Khaled: 'Khaalid', Hussein: 'Hussayn', Omar: 'Oumar' };
const NICKNAMES: readonly (readonly [string, string])[] = [
  ['Abu Ali', 'أبو علي'], ['Abu Hamza', 'أبو حمزة'], ['Abu Jaafar', 'أبو جعفر'], ['Abu Haidar', 'أبو حيدر'], ['the Doctor', 'الدكتور'], ['Abu Yasser', 'أبو ياسر'],
];
const CITIES: readonly (readonly [string, string])[] = [
  ['Homs', 'حمص'], ['Aleppo', 'حلب'], ['Damascus', 'دمشق'], ['Daraa', 'درعا'], ['Hama', 'حماة'], ['Douma', 'دوما'], ['Idlib', 'إدلب'],
  ['Latakia', 'اللاذقية'], ['Deir ez-Zor', 'دير الزور'], ['Raqqa', 'الرقة'], ['Qamishli', 'القامشلي'], ['Tartus', 'طرطوس'],
  ['Zabadani', 'الزبداني'], ['Darayya', 'داريا'], ['Moadamiyeh', 'المعضمية'], ['Baniyas', 'بانياس'], ['Tal Kalakh', 'تلكلخ'],
];
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTHS_AR = ['كانون الثاني', 'شباط', 'آذار', 'نيسان', 'أيار', 'حزيران', 'تموز', 'آب', 'أيلول', 'تشرين الأول', 'تشرين الثاني', 'كانون الأول'];

const EN_WORDS = (
  'the a of and to in was we were they he she it me my our their them his her with for on at from by after before during night day ' +
  'morning evening cell cells guard guards officer officers interrogator interrogation question questions prison prisoners detainee detainees ' +
  'branch corridor door floor wall walls window light darkness cold heat water food bread rice soup blanket blankets toilet shower ' +
  'blood wound wounds pain fear hunger thirst sick sickness disease lice scabies fever doctor hospital body bodies dead death names number numbers ' +
  'transferred transfer released release arrested arrest checkpoint bus truck car blindfold blindfolded handcuffed chained shackled ' +
  'beaten beat beating hit kicked whipped cable cables stick sticks hose pipe electric shocks hanging hung tied ceiling wrists ankles ' +
  'screaming screams shouting silence whisper prayer prayed counted counting waited weeks months years days hours minutes ' +
  'family mother father brother brothers sister sisters wife husband son daughter children neighbour neighbours friend friends cousin uncle ' +
  'village city town street house home school university mosque market farm field lawyer judge court trial sentence military field-court ' +
  'confession signed fingerprint paper papers statement accused accusation terrorism protest protests demonstration demonstrations ' +
  'soldier soldiers security intelligence officer sergeant colonel general lieutenant warden jailer jailers captain ' +
  'remember remembered saw seen heard told asked answered said knew know think believe cannot could would never again still ' +
  'small large crowded narrow dark wet dirty underground basement solitary collective dormitory wing building room rooms ' +
  'naked clothes shirt trousers shoes barefoot head eyes face back legs feet hands fingers nails teeth ribs skin ' +
  'one two three four five six seven eight nine ten twenty thirty forty fifty hundred first second third last ' +
  'because when where while until since although however then later soon early late every each other another same ' +
  'took brought came went left stayed slept woke lay sat stood walked ran fell died survived lived carried dragged pushed ' +
  'wrote read called named released disappeared missing searched waited paid bribe money smuggled escaped fled border'
).split(' ');
const AR_WORDS = (
  'في من إلى على عن مع بعد قبل خلال ثم لكن لأن حتى عندما حيث كان كانت كانوا كنا نحن هم هو هي أنا لي لنا لهم ' +
  'الليل النهار الصباح المساء الزنزانة الزنازين السجان السجانين الضابط الضباط المحقق التحقيق السؤال الأسئلة السجن السجناء المعتقل المعتقلين ' +
  'الفرع الممر الباب الأرض الجدار النافذة الضوء الظلام البرد الحر الماء الطعام الخبز الرز الشوربة البطانية المرحاض ' +
  'الدم الجرح الألم الخوف الجوع العطش المرض القمل الجرب الحمى الطبيب المستشفى الجثة الجثث الموت الأسماء الرقم ' +
  'نقلوني أفرجوا اعتقلوني الحاجز الباص السيارة معصوب مكبل مقيد ضربوني الضرب الكبل العصا الخرطوم الكهرباء معلقا السقف ' +
  'الصراخ الصمت الصلاة العد انتظرنا أسابيع أشهر سنوات أيام ساعات دقائق العائلة أمي أبي أخي إخوتي أختي زوجتي زوجي ابني ابنتي الأطفال جاري صديقي ' +
  'القرية المدينة الشارع البيت المدرسة الجامعة المسجد السوق المحامي القاضي المحكمة الميدانية الحكم الاعتراف وقعت البصمة الورقة ' +
  'الإرهاب المظاهرة المظاهرات العسكري العساكر الأمن المخابرات المساعد العقيد العميد الملازم النقيب ' +
  'أتذكر رأيت سمعت قالوا سألني أجبت كنت أعرف لا أستطيع أبدا مرة أخرى صغيرة مزدحمة ضيقة مظلمة رطبة قذرة تحت الأرض منفردة جماعية المهجع ' +
  'عراة الملابس حفاة الرأس العيون الوجه الظهر الأرجل الأقدام الأيدي الأصابع الأظافر الأسنان الأضلاع الجلد ' +
  'واحد اثنان ثلاثة أربعة خمسة ستة سبعة ثمانية تسعة عشرة عشرين ثلاثين مئة الأول الثاني الثالث الأخير ' +
  'أخذوا جاؤوا ذهبوا بقيت نمت استيقظت جلست وقفت مشيت سقط مات نجا عاش حملوا سحبوا دفعوا كتبوا قرأ نادوا اختفى مفقود بحثوا دفعنا رشوة هربت الحدود'
).split(' ');
const HARAKAT = ['\u064E', '\u064F', '\u0650', '\u0652', '\u0651', '\u064B'];

/** A long tail of rare words (Heaps' law): pseudo-words per script, drawn Zipf-like. */
const LATIN_SYLLABLES = ['ka', 'ra', 'mo', 'ti', 'sel', 'dan', 'vor', 'min', 'lu', 'zar', 'pe', 'nok', 'shi', 'qa', 'bel', 'tur', 'fa', 'gim', 'ho', 'wen'];
const ARABIC_LETTERS = [...'بتثجحخدذرزسشصضطظعغفقكلمنهوي'];
/** The rank written in base `pieces.length` with the pieces as digits: a distinct pseudo-word per rank. */
function pseudoWord(pieces: readonly string[], rank: number): string {
  let word = '';
  for (let n = rank; n > 0; n = Math.floor(n / pieces.length)) word += pieces[n % pieces.length];
  return word;
}
const rareLatin = (rank: number): string => pseudoWord(LATIN_SYLLABLES, rank + 401);
const rareArabic = (rank: number): string => pseudoWord(ARABIC_LETTERS, rank + 30_000);
function zipfRank(rng: Rng, size: number): number {
  // Inverse-CDF of a 1/x law over [1, size]: small ranks are common, large ones rare.
  return Math.min(size - 1, Math.floor(Math.exp(rng.next() * Math.log(size))) - 1);
}

const FACILITIES = VOCABULARY_SEED.filter((term) => term.scheme === 'facility');
const UNITS = VOCABULARY_SEED.filter((term) => term.scheme === 'perpetratorUnit');
const VIOLATIONS = VOCABULARY_SEED.filter((term) => term.scheme === 'violation');
type Seed = (typeof VOCABULARY_SEED)[number];

function latinNames(term: Seed): string[] {
  return [term.labelEn, ...term.aliases.filter((alias) => !/[\u0600-\u06FF]/.test(alias))];
}
function arabicNames(term: Seed): string[] {
  return [term.labelAr, ...term.aliases.filter((alias) => /[\u0600-\u06FF]/.test(alias))];
}

function partialDate(rng: Rng, year: number): string {
  const precision = rng.int(0, 2);
  const month = String(rng.int(1, 12)).padStart(2, '0');
  if (precision === 0) return String(year);
  if (precision === 1) return `${year}-${month}`;
  return `${year}-${month}-${String(rng.int(1, 28)).padStart(2, '0')}`;
}

function orderedPeriod(from: string, to: string): { from: string; to: string } {
  return from <= to ? { from, to } : { from: to, to: from };
}

function toArabicDigits(text: string): string {
  return text.replace(/[0-9]/g, (digit) => String.fromCharCode(0x0660 + Number(digit)));
}

function decorateArabic(rng: Rng, word: string): string {
  // Some words carry harakat (on random letters) or a tatweel, as real transcriptions do.
  if (rng.chance(0.12)) {
    const letters = [...word];
    return letters.map((letter) => (/[\u0621-\u064A]/.test(letter) && rng.chance(0.5) ? letter + rng.pick(HARAKAT) : letter)).join('');
  }
  if (word.length > 3 && rng.chance(0.01)) return `${word.slice(0, 2)}\u0640${word.slice(2)}`;
  return word;
}

type Person = { name: string; aliases: string[]; mention: () => string };

function makePerson(rng: Rng, language: 'ar' | 'en'): Person {
  const first = rng.pick(FIRST_NAMES);
  const family = rng.pick(FAMILY_NAMES);
  const latinFirst = first.filter((n) => !/[\u0600-\u06FF]/.test(n));
  const latinFamily = family.filter((n) => !/[\u0600-\u06FF]/.test(n));
  const arabic = `${first[first.length - 1] ?? ''} ${family[family.length - 1] ?? ''}`;
  const primary = `${latinFirst[0] ?? ''} ${latinFamily[0] ?? ''}`;
  const aliases = new Set<string>([arabic]);
  if (latinFirst.length > 1 || latinFamily.length > 1) aliases.add(`${rng.pick(latinFirst)} ${rng.pick(latinFamily)}`);
  aliases.delete(primary);
  const unrecorded = UNRECORDED_FIRST[latinFirst[0] ?? ''];
  return {
    name: language === 'ar' && rng.chance(0.3) ? arabic : primary,
    aliases: [...aliases],
    mention: () => {
      if (language === 'ar') return arabic;
      if (unrecorded && rng.chance(0.2)) return `${unrecorded} ${latinFamily[0] ?? ''}`;
      return `${rng.pick(latinFirst)} ${rng.pick(latinFamily)}`;
    },
  };
}

// Running text: about 45% function words, 30% domain words and 25% a long tail of rare words, each
// drawn 1/rank, so a domain word like "prison" is in most testimonies and a tail word in very few.
const EN_FUNCTION = EN_WORDS.slice(0, EN_WORDS.indexOf('night'));
const EN_CONTENT = EN_WORDS.slice(EN_WORDS.indexOf('night'));
const AR_FUNCTION = AR_WORDS.slice(0, AR_WORDS.indexOf('الليل'));
const AR_CONTENT = AR_WORDS.slice(AR_WORDS.indexOf('الليل'));
const TAIL_WORDS = 50_000;

function filler(rng: Rng, language: 'ar' | 'en', words: number): string {
  const out: string[] = [];
  const fromList = (list: readonly string[]) => list[Math.min(list.length - 1, zipfRank(rng, list.length + 1))] ?? '';
  for (let i = 0; i < words; i += 1) {
    const draw = rng.next();
    if (draw < 0.25) out.push(language === 'ar' ? rareArabic(zipfRank(rng, TAIL_WORDS)) : rareLatin(zipfRank(rng, TAIL_WORDS)));
    else if (language === 'ar') out.push(decorateArabic(rng, fromList(draw < 0.55 ? AR_CONTENT : AR_FUNCTION)));
    else out.push(fromList(draw < 0.55 ? EN_CONTENT : EN_FUNCTION));
  }
  const sentence = out.join(' ');
  return language === 'ar' ? `${sentence}.` : `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

/** One testimony, determined by (seed, index) alone. */
export function syntheticTestimony(seed: number, index: number, targetBytes = 3000): SyntheticTestimony {
  const rng = seededRandom(mixSeed(seed, index));
  const language: 'ar' | 'en' = index % 2 === 0 ? 'en' : 'ar';
  const isAr = language === 'ar';
  const facilities = [rng.pick(FACILITIES), ...(rng.chance(0.5) ? [rng.pick(FACILITIES)] : [])];
  const units = [rng.pick(UNITS), ...(rng.chance(0.25) ? [rng.pick(UNITS)] : [])];
  const violations = Array.from({ length: rng.int(1, 4) }, () => rng.pick(VIOLATIONS));
  const startYear = rng.int(2011, 2019);
  const endYear = Math.min(2024, startYear + rng.int(0, 4));
  const city = rng.pick(CITIES);
  const interviewee = makePerson(rng, language);
  const others = Array.from({ length: rng.int(0, 3) }, () => makePerson(rng, language));
  const nickname = rng.pick(NICKNAMES);
  const name = (term: Seed) => (isAr ? (rng.chance(0.85) ? rng.pick(arabicNames(term)) : rng.pick(latinNames(term))) : rng.chance(0.9) ? rng.pick(latinNames(term)) : rng.pick(arabicNames(term)));
  const number = (n: number) => (isAr && rng.chance(0.5) ? toArabicDigits(String(n)) : String(n));
  const month = rng.int(0, 11);

  const sentences: string[] = [];
  const facts = isAr
    ? [
        () => `في ${MONTHS_AR[month]} ${number(startYear)} اعتقلوني على حاجز في ${city[1]} وسلموني إلى ${name(rng.pick(units))}.`,
        () => `نقلوني إلى ${name(rng.pick(facilities))} وبقيت هناك ${number(rng.int(2, 40))} شهرا.`,
        () => `استخدم المحقق ${nickname[1]} ${name(rng.pick(violations))} معي ومع ${rng.pick(others.length > 0 ? others : [interviewee]).mention()}.`,
        () => `رأيت ${rng.pick(others.length > 0 ? others : [interviewee]).mention()} في الزنزانة رقم ${number(rng.int(1, 60))} ثم أخذوه ولم يعد.`,
        () => `كنا ${number(rng.int(30, 120))} رجلا في زنزانة مخصصة لـ${number(rng.int(10, 25))}.`,
        () => `اسمي ${interviewee.mention()} وأنا من ${city[1]}.`,
        () => `أفرجوا عني في ${number(endYear)} من ${name(rng.pick(facilities))}.`,
      ]
    : [
        () => `In ${MONTHS_EN[month]} ${startYear} I was arrested at a checkpoint in ${city[0]} and handed to ${name(rng.pick(units))}.`,
        () => `They took me to ${name(rng.pick(facilities))}, where I stayed for ${rng.int(2, 40)} months.`,
        () => `The interrogator, ${nickname[0]}, used ${name(rng.pick(violations))} on me and on ${rng.pick(others.length > 0 ? others : [interviewee]).mention()}.`,
        () => `I saw ${rng.pick(others.length > 0 ? others : [interviewee]).mention()} in cell ${rng.int(1, 60)}; he was taken away and never came back.`,
        () => `We were ${rng.int(30, 120)} men in a cell made for ${rng.int(10, 25)}.`,
        () => `My name is ${interviewee.mention()} and I am from ${city[0]}.`,
        () => `I was released in ${endYear} from ${name(rng.pick(facilities))}.`,
      ];
  let bytes = 0;
  let factIndex = 0;
  while (bytes < targetBytes) {
    const sentence = rng.chance(0.35) ? (facts[factIndex++ % facts.length] as () => string)() : filler(rng, language, rng.int(8, 22));
    sentences.push(sentence);
    bytes += Buffer.byteLength(sentence) + 1;
  }
  const transcript = sentences.join(' ');
  const firstFacility = facilities[0] as Seed;
  const firstUnit = units[0] as Seed;
  const title = isAr
    ? `اعتقال في ${city[1]} واحتجاز في ${arabicNames(firstFacility)[0] ?? ''}`
    : `Arrest in ${city[0]} and detention in ${latinNames(firstFacility)[0] ?? ''}`;
  const summary = isAr
    ? `معتقل سابق يصف ${arabicNames(violations[0] as Seed)[0] ?? ''} على يد ${arabicNames(firstUnit)[0] ?? ''} بين ${number(startYear)} و${number(endYear)}.`
    : `Former detainee describes ${latinNames(violations[0] as Seed)[0] ?? ''} by ${latinNames(firstUnit)[0] ?? ''}, ${startYear}-${endYear}.`;
  const scopes = CONSENT_SCOPES.filter(() => rng.chance(0.4));
  const interviewYear = rng.int(Math.max(2016, endYear), 2025);
  return {
    index,
    language,
    hasMedia: rng.chance(0.02),
    input: {
      reference: `TV-${interviewYear}-${String(index).padStart(6, '0')}`,
      title,
      language,
      interviewDate: partialDate(rng, interviewYear),
      interviewee: { name: interviewee.name, aliases: interviewee.aliases },
      persons: [
        ...others.map((person) => ({ name: person.name, aliases: person.aliases, role: rng.pick(['victim', 'missing', 'witness'] as const) })),
        ...(rng.chance(0.3) ? [{ name: nickname[0], aliases: [nickname[1]], role: 'perpetrator' as const }] : []),
      ],
      transcript,
      summary,
      tags: [city[0].toLowerCase(), ...(rng.chance(0.3) ? [`branch-${rng.int(200, 300)}`] : [])],
      facilities: [...new Set(facilities.map((term) => (isAr ? term.labelAr : term.labelEn)))],
      perpetratorUnits: [...new Set(units.map((term) => term.labelEn))],
      violations: [...new Set(violations.map((term) => term.labelEn))],
      period: rng.chance(0.9) ? orderedPeriod(partialDate(rng, startYear), partialDate(rng, endYear)) : { from: String(startYear) },
      consent: { scopes, anonymity: true, mediaUse: rng.chance(0.5), withdrawn: rng.chance(0.03) },
      status: rng.pick(TESTIMONY_STATUSES),
      sensitivity: 'high',
    },
  };
}

export function* generateSearchCorpus(options: SearchCorpusOptions): Generator<SyntheticTestimony> {
  for (let index = 0; index < options.count; index += 1) yield syntheticTestimony(options.seed, index, options.targetBytes);
}

/** The seeded vocabulary as index entities with stable ids (`term-00` …), as a fresh vault holds it. */
export function seedVocabularyEntities(): IndexEntity[] {
  return VOCABULARY_SEED.map((term, i) => ({
    id: `term-${String(i).padStart(2, '0')}`,
    kind: term.scheme,
    version: 1,
    names: [term.labelEn, term.labelAr, ...term.aliases],
    labelEn: term.labelEn,
    labelAr: term.labelAr,
  }));
}

/**
 * A synthetic testimony as the index sees it, without a vault: labels resolved to the seeded terms
 * the way addTestimony resolves them (by normalised label or alias), persons given stable ids.
 */
export function syntheticIndexInput(testimony: SyntheticTestimony, vocabulary: readonly IndexEntity[]): { document: IndexDocument; persons: IndexEntity[] } {
  const { input } = testimony;
  const resolve = (labels: readonly string[] | undefined, kind: IndexEntity['kind']) =>
    [...new Set((labels ?? []).map((label) => {
      const term = vocabulary.find((candidate) => candidate.kind === kind && candidate.names.some((name) => matchKey(name) === matchKey(label)));
      if (!term) throw new Error(`synthetic label not in the seed: ${label}`);
      return term.id;
    }))];
  const people = [...(input.interviewee ? [input.interviewee] : []), ...(input.persons ?? [])];
  const persons: IndexEntity[] = people.map((person, k) => ({
    id: `person-${testimony.index}-${k}`,
    kind: 'person',
    version: 1,
    names: [person.name, ...(person.aliases ?? [])],
  }));
  const period = input.period;
  return {
    persons,
    document: {
      id: `doc-${testimony.index}`,
      version: 1,
      reference: input.reference,
      title: input.title,
      summary: input.summary,
      transcript: input.transcript,
      tags: input.tags ?? [],
      facilityIds: resolve(input.facilities, 'facility'),
      perpetratorUnitIds: resolve(input.perpetratorUnits, 'perpetratorUnit'),
      violationIds: resolve(input.violations, 'violation'),
      personIds: persons.map((person) => person.id),
      language: input.language,
      status: input.status ?? 'draft',
      consentScopes: input.consent?.scopes ?? [],
      consentWithdrawn: input.consent?.withdrawn ?? false,
      ...(period ? { period: { ...(period.from ? { from: period.from } : {}), ...(period.to ? { to: period.to } : {}) } } : {}),
      ...(input.interviewDate ? { interviewDate: input.interviewDate } : {}),
    },
  };
}
