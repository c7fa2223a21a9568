import type { VocabularyScheme } from './vocabularySchema.js';

type SeedTerm = { scheme: VocabularyScheme; labelEn: string; labelAr: string; aliases: string[] };

/**
 * Seeded from public reporting on Syrian detention (Caesar photographs, HRW 2015, Amnesty 2017,
 * IIIM); see shared/examples/vocabulary-reference.md. Users add terms and aliases on top.
 */
export const VOCABULARY_SEED: readonly SeedTerm[] = [
  { scheme: 'facility', labelEn: 'Sednaya Military Prison', labelAr: 'سجن صيدنايا العسكري', aliases: ['Saydnaya', 'Sednaya', 'Seidnaya', 'Sidnaya', 'Sednaya Military Prison', 'صيدنايا'] },
  { scheme: 'facility', labelEn: 'Palestine Branch (Branch 235), Military Intelligence', labelAr: 'فرع فلسطين (235)', aliases: ['Branch 235', "Far' Falastin", 'Palestine Branch', 'فرع فلسطين'] },
  { scheme: 'facility', labelEn: 'Raids Branch (Branch 215), Military Intelligence', labelAr: 'فرع المداهمة (215)', aliases: ['Branch 215', 'Raids Branch', 'Branch 215 (Raids Branch)', 'فرع المداهمة'] },
  { scheme: 'facility', labelEn: 'Damascus Region Branch (Branch 227), Military Intelligence', labelAr: 'فرع المنطقة (227)', aliases: ['Branch 227', 'Region Branch', 'فرع المنطقة'] },
  { scheme: 'facility', labelEn: 'Military Interrogation Branch (Branch 248)', labelAr: 'فرع التحقيق العسكري (248)', aliases: ['Branch 248', 'فرع التحقيق العسكري'] },
  { scheme: 'facility', labelEn: 'Al-Khatib Branch (Branch 251), General Intelligence', labelAr: 'فرع الخطيب (251)', aliases: ['Branch 251', 'Al-Khatib Branch', 'فرع الخطيب'] },
  { scheme: 'facility', labelEn: 'Air Force Intelligence Investigation Branch, Mezzeh Military Airport', labelAr: 'فرع التحقيق في المخابرات الجوية - مطار المزة العسكري', aliases: ['Mezzeh airport', 'al-Mezzeh', 'Mezzeh Military Airport', 'مطار المزة'] },
  { scheme: 'facility', labelEn: 'Tadmur (Palmyra) Military Prison', labelAr: 'سجن تدمر العسكري', aliases: ['Tadmor', 'Tadmur', 'Palmyra prison', 'سجن تدمر'] },
  { scheme: 'facility', labelEn: 'Adra Central Prison', labelAr: 'سجن عدرا المركزي', aliases: ['Adra', 'سجن عدرا'] },
  { scheme: 'facility', labelEn: 'Military Police, Qaboun', labelAr: 'الشرطة العسكرية في القابون', aliases: ['Qaboun', 'القابون'] },
  { scheme: 'perpetratorUnit', labelEn: 'Military Intelligence Directorate', labelAr: 'شعبة المخابرات العسكرية', aliases: ['Military Intelligence', 'MID', 'المخابرات العسكرية'] },
  { scheme: 'perpetratorUnit', labelEn: 'Air Force Intelligence Directorate', labelAr: 'إدارة المخابرات الجوية', aliases: ['Air Force Intelligence', 'المخابرات الجوية'] },
  { scheme: 'perpetratorUnit', labelEn: 'General Intelligence Directorate (State Security)', labelAr: 'إدارة المخابرات العامة (أمن الدولة)', aliases: ['General Intelligence Directorate', 'State Security', 'أمن الدولة', 'المخابرات العامة'] },
  { scheme: 'perpetratorUnit', labelEn: 'Political Security Directorate', labelAr: 'شعبة الأمن السياسي', aliases: ['Political Security', 'الأمن السياسي'] },
  { scheme: 'perpetratorUnit', labelEn: 'Military Police', labelAr: 'الشرطة العسكرية', aliases: [] },
  { scheme: 'perpetratorUnit', labelEn: 'Fourth Armoured Division', labelAr: 'الفرقة الرابعة', aliases: ['4th Division', 'Fourth Division'] },
  { scheme: 'perpetratorUnit', labelEn: 'National Defence Forces', labelAr: 'قوات الدفاع الوطني', aliases: ['NDF', 'National Defense Forces'] },
  { scheme: 'violation', labelEn: 'arbitrary arrest', labelAr: 'الاعتقال التعسفي', aliases: ['arbitrary detention'] },
  { scheme: 'violation', labelEn: 'enforced disappearance', labelAr: 'الإخفاء القسري', aliases: ['forced disappearance'] },
  { scheme: 'violation', labelEn: 'torture', labelAr: 'التعذيب', aliases: [] },
  { scheme: 'violation', labelEn: 'flying carpet (board)', labelAr: 'البساط الطائر', aliases: ['flying carpet'] },
  { scheme: 'violation', labelEn: 'German chair', labelAr: 'الكرسي الألماني', aliases: [] },
  { scheme: 'violation', labelEn: 'tyre (dulab)', labelAr: 'الدولاب', aliases: ['dulab', 'tire', 'tyre'] },
  { scheme: 'violation', labelEn: 'suspension (shabeh)', labelAr: 'الشبح', aliases: ['shabeh', 'shabah', 'suspension'] },
  { scheme: 'violation', labelEn: 'electric shocks', labelAr: 'الصعق الكهربائي', aliases: ['electrocution', 'electric shock'] },
  { scheme: 'violation', labelEn: 'falaqa (beating the soles of the feet)', labelAr: 'الفلقة', aliases: ['falaqa', 'falanga', 'bastinado'] },
  { scheme: 'violation', labelEn: 'beating', labelAr: 'الضرب', aliases: [] },
  { scheme: 'violation', labelEn: 'burning', labelAr: 'الحرق', aliases: [] },
  { scheme: 'violation', labelEn: 'sexual violence', labelAr: 'العنف الجنسي', aliases: [] },
  { scheme: 'violation', labelEn: 'starvation and dehydration', labelAr: 'التجويع والحرمان من الماء', aliases: ['starvation'] },
  { scheme: 'violation', labelEn: 'denial of medical care', labelAr: 'الحرمان من الرعاية الطبية', aliases: [] },
  { scheme: 'violation', labelEn: 'inhumane conditions of detention', labelAr: 'ظروف احتجاز لا إنسانية', aliases: ['overcrowding'] },
  { scheme: 'violation', labelEn: 'extrajudicial execution', labelAr: 'الإعدام خارج نطاق القضاء', aliases: ['summary execution'] },
  { scheme: 'violation', labelEn: 'death in custody', labelAr: 'الوفاة في الاحتجاز', aliases: [] },
];
