/**
 * The random source behind every generated value: a faker instance whose randomizer is reseeded for
 * each row from (seed, model, sequence), so a row's values depend on nothing else — not on the rows
 * made before it, nor on the relations asked for around it.
 */
import { base, en, Faker, type Randomizer } from '@faker-js/faker';

/**
 * Dates are generated relative to this fixed day rather than the clock, so a seed gives the same
 * dates on every run.
 */
export const REFERENCE_DATE = new Date('2026-01-01T00:00:00.000Z');

/**
 * SFC32 (Chris Doty-Humphrey's small fast counting generator): 128 bits of state, so every row seed
 * gets its own stream. Seeding is a handful of additions, where faker's default Mersenne Twister
 * spends about 30 µs filling 624 words — a cost paid once per row here. A closure, not a class:
 * faker calls `next` detached from its object.
 */
function countingRandomizer(): Randomizer {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 1;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = ((c << 21) | (c >>> 11)) + t;
    c |= 0;
    return (t >>> 0) / 4294967296;
  };
  const seed = (value: number | number[]) => {
    [a = 0, b = 0, c = 0] = (Array.isArray(value) ? value : [value]).map((part) => part | 0);
    d = 1;
    // The first outputs of nearby seeds are alike; a few rounds mix the state apart.
    for (let round = 0; round < 12; round++) next();
  };
  return { next, seed };
}

/** FNV-1a: a stable 32-bit number for a model name, part of every row seed of that model. */
export function hashName(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return hash | 0;
}

/** A faker instance of its own (English data), dates relative to `REFERENCE_DATE`. */
export function createFaker(): Faker {
  const faker = new Faker({ locale: [en, base], randomizer: countingRandomizer() });
  faker.setDefaultRefDate(REFERENCE_DATE);
  return faker;
}
