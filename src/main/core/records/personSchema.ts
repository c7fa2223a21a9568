import { z } from 'zod';
import { PartialDateSchema } from './partialDate.js';

export const PERSON_ROLES = ['witness', 'victim', 'missing', 'perpetrator'] as const;
export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/** A person as entered. Every field is sensitive and only ever stored encrypted. */
export const PersonInputSchema = z
  .object({
    name: text(500),
    aliases: z.array(text(500)).max(100).default([]),
    phone: text(100).optional(),
    nationalId: text(100).optional(),
    email: z.string().trim().email('must be an email address').max(320).optional(),
    birthDate: PartialDateSchema.optional(),
    gender: z.enum(GENDERS).optional(),
  })
  .strict();
export type PersonInput = z.input<typeof PersonInputSchema>;
export type Person = z.output<typeof PersonInputSchema>;
export type PersonRole = (typeof PERSON_ROLES)[number];
