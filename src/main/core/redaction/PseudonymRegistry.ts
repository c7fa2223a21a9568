import { markRedacted, type RedactedText } from './RedactedText.js';
import { normalizeNeedle } from './normalizeWithOffsets.js';

type Entity = { keys: Set<string>; pseudonym: RedactedText };

/**
 * Hands out pseudonyms that stay the same across a whole bundle: the same person (matched by any
 * normalised name or alias, since each testimony has its own person records) always gets the same
 * `[WITNESS-n]` or `[PERSON-n]`. A name part shared by two different people becomes `[NAME]`, so a
 * shared family name never points at the wrong one.
 */
export class PseudonymRegistry {
  private readonly entities: Entity[] = [];
  private readonly partOwners = new Map<string, Set<RedactedText>>();
  private witnesses = 0;
  private persons = 0;

  /** Registers a person and returns their pseudonym; call for every person of every item before redacting. */
  register(names: readonly string[], asWitness: boolean): RedactedText {
    const keys = new Set(names.map(normalizeNeedle).filter((key) => key.length > 0));
    let entity = this.entities.find((candidate) => [...keys].some((key) => candidate.keys.has(key)));
    if (!entity) {
      const pseudonym = asWitness ? `[WITNESS-${(this.witnesses += 1)}]` : `[PERSON-${(this.persons += 1)}]`;
      entity = { keys: new Set(), pseudonym: markRedacted(pseudonym) };
      this.entities.push(entity);
    }
    for (const key of keys) entity.keys.add(key);
    return entity.pseudonym;
  }

  /** Records that `part` (one word of a name) belongs to the person with `pseudonym`. */
  registerPart(part: string, pseudonym: RedactedText): void {
    const key = normalizeNeedle(part);
    const owners = this.partOwners.get(key) ?? new Set<RedactedText>();
    owners.add(pseudonym);
    this.partOwners.set(key, owners);
  }

  pseudonymOfPart(part: string, fallback: RedactedText): RedactedText {
    const owners = this.partOwners.get(normalizeNeedle(part));
    return owners && owners.size > 1 ? markRedacted('[NAME]') : fallback;
  }

  /** Every pseudonym handed out, for the leak check (which must not mistake `[PERSON-1]` for text). */
  allPseudonyms(): RedactedText[] {
    return this.entities.map((entity) => entity.pseudonym);
  }
}
