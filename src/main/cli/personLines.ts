import type { PersonView } from '../core/records/persons.js';

/** A person's fields as `label: value` lines for human output; absent fields are left out. */
export function personLines(person: PersonView): string[] {
  return [
    `name:         ${person.name}`,
    ...(person.aliases.length > 0 ? [`aliases:      ${person.aliases.join(', ')}`] : []),
    ...(person.phone ? [`phone:        ${person.phone}`] : []),
    ...(person.nationalId ? [`national id:  ${person.nationalId}`] : []),
    ...(person.email ? [`email:        ${person.email}`] : []),
    ...(person.birthDate ? [`birth date:   ${person.birthDate}`] : []),
    ...(person.gender ? [`gender:       ${person.gender}`] : []),
  ];
}
