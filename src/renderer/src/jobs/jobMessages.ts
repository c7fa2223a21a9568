/** Progress and cancel wording for long jobs (spread into the dictionaries in i18n/messages.ts). */
export const jobEn = {
  'job.working': 'Working…',
  'job.percent': '{phase} {percent}%',
  'job.cancel': 'Cancel',
  'job.cancelled': 'Cancelled. Nothing was kept from the unfinished work.',
  'job.phase.start': 'Starting…',
  'job.phase.read': 'Reading and encrypting',
  'job.phase.seal': 'Encrypting',
  'job.phase.hash': 'Computing the checksum',
  'job.phase.index': 'Building the search index',
  'job.phase.snapshot': 'Saving the search index',
  'job.phase.verify': 'Verifying',
} as const;

export const jobAr: Record<keyof typeof jobEn, string> = {
  'job.working': 'جارٍ العمل…',
  'job.percent': '{phase} {percent}٪',
  'job.cancel': 'إلغاء',
  'job.cancelled': 'أُلغيت العملية. لم يُحفظ شيء من العمل غير المكتمل.',
  'job.phase.start': 'جارٍ البدء…',
  'job.phase.read': 'قراءة وتشفير',
  'job.phase.seal': 'تشفير',
  'job.phase.hash': 'حساب البصمة',
  'job.phase.index': 'بناء فهرس البحث',
  'job.phase.snapshot': 'حفظ فهرس البحث',
  'job.phase.verify': 'تحقق',
};
