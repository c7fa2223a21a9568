import { z } from 'zod';

/** A date known to the year, month or day: `2014`, `2014-03`, `2014-03-09`. */
export const PartialDateSchema = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, 'must be YYYY, YYYY-MM or YYYY-MM-DD')
  .refine((value) => value.length < 10 || !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'is not a real calendar date');
export type PartialDate = z.infer<typeof PartialDateSchema>;
export type DatePrecision = 'year' | 'month' | 'day';

export function datePrecision(date: PartialDate): DatePrecision {
  return date.length === 4 ? 'year' : date.length === 7 ? 'month' : 'day';
}
