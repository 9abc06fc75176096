import { createHash } from 'node:crypto';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Seeded PRNG (sfc32, state from sha256 of the seed). `fork(label)` derives an independent stream per generator
 * module, so adding draws in one module does not reshuffle the others.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: string) {
    const h = createHash('sha256').update(seed).digest();
    this.a = h.readUInt32LE(0);
    this.b = h.readUInt32LE(4);
    this.c = h.readUInt32LE(8);
    this.d = h.readUInt32LE(12);
    for (let i = 0; i < 12; i++) this.next();
  }

  fork(label: string): Rng {
    return new Rng(`${this.seed}\u0000${label}`);
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick on an empty list');
    return items[this.int(items.length)];
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** k distinct items, in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    return this.shuffle(items).slice(0, Math.min(k, items.length));
  }

  /** k distinct items drawn with probability proportional to weight (Efraimidis–Spirakis). */
  weightedSample<T>(items: readonly T[], k: number, weight: (t: T) => number): T[] {
    return items
      .map((item) => ({ item, key: Math.pow(this.next() || Number.MIN_VALUE, 1 / Math.max(weight(item), 1e-9)) }))
      .sort((x, y) => y.key - x.key)
      .slice(0, k)
      .map((x) => x.item);
  }

  hex(chars: number): string {
    let out = '';
    while (out.length < chars) out += ((this.next() * 0x100000000) >>> 0).toString(16).padStart(8, '0');
    return out.slice(0, chars);
  }
}

/** The constant first group of every sandbox UUID ("5a4db0c5" ≈ "sandbox"), so nobody mistakes one for a real record. */
export const SANDBOX_UUID_PREFIX = '5a4db0c5';

/** Deterministic RFC 9562 version-8 UUID from a name; first group fixed to {@link SANDBOX_UUID_PREFIX}. */
export function sandboxUuid(name: string): string {
  const h = sha256Hex(`thuegate-sandbox-uuid\u0000${name}`);
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${SANDBOX_UUID_PREFIX}-${h.slice(0, 4)}-8${h.slice(5, 8)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
