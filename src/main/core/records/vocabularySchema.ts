import { z } from 'zod';

export const VOCABULARY_SCHEMES = ['facility', 'perpetratorUnit', 'violation'] as const;
export type VocabularyScheme = (typeof VOCABULARY_SCHEMES)[number];

const label = z.string().trim().min(1, 'must not be empty').max(500);

export const VocabularyTermInputSchema = z
  .object({
    scheme: z.enum(VOCABULARY_SCHEMES),
    labelEn: label.optional(),
    labelAr: label.optional(),
    aliases: z.array(label).max(200).default([]),
  })
  .strict()
  .refine((term) => term.labelEn !== undefined || term.labelAr !== undefined, 'a term needs an English or an Arabic label');
export type VocabularyTermInput = z.input<typeof VocabularyTermInputSchema>;
export type VocabularyTerm = z.output<typeof VocabularyTermInputSchema> & { id: string };

const ARABIC_SCRIPT = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]/;
export function isArabicScript(text: string): boolean {
  return ARABIC_SCRIPT.test(text);
}
