// A deliberate type-only cycle (a → b → a) that the cycle rule must report; never imported by src/.
import type { B } from './b';
export interface A { b?: B }
