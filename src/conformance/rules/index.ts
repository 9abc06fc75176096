import type { Rule } from '../types';
import { d1 } from './d-1';
import { d2 } from './d-2';
import { d3 } from './d-3';
import { d4 } from './d-4';
import { d5 } from './d-5';
import { d6 } from './d-6';
import { d7 } from './d-7';
import { p1 } from './p-1';
import { p10 } from './p-10';
import { p11 } from './p-11';
import { p12 } from './p-12';
import { p2 } from './p-2';
import { p3 } from './p-3';
import { p3b } from './p-3b';
import { p4 } from './p-4';
import { p5 } from './p-5';
import { p6 } from './p-6';
import { p7 } from './p-7';
import { p8 } from './p-8';
import { p9 } from './p-9';
import { r1 } from './r-1';
import { r10 } from './r-10';
import { r10b } from './r-10b';
import { r10c } from './r-10c';
import { r11 } from './r-11';
import { r12 } from './r-12';
import { r13 } from './r-13';
import { r13b } from './r-13b';
import { r14 } from './r-14';
import { r15 } from './r-15';
import { r16 } from './r-16';
import { r17 } from './r-17';
import { r18 } from './r-18';
import { r2 } from './r-2';
import { r3 } from './r-3';
import { r4 } from './r-4';
import { r5 } from './r-5';
import { r6 } from './r-6';
import { r7 } from './r-7';
import { r8 } from './r-8';
import { r9 } from './r-9';
import { r9b } from './r-9b';
import { u1 } from './u-1';
import { xg1 } from './xg-1';
import { xg2 } from './xg-2';
import { xg3 } from './xg-3';
import { xg4 } from './xg-4';
import { xg5 } from './xg-5';
import { xg6 } from './xg-6';
import { xg7 } from './xg-7';
import { xg8 } from './xg-8';

/** The implemented part of the catalogue (docs/conformance-rules.md), in catalogue order. */
export const RULES: readonly Rule[] = [
  r1, r2, r3, r4, r5, r6, r7, r8, r9, r9b, r10, r10b, r10c, r11, r12, r13, r13b, r14, r15, r16, r17, r18,
  xg1, xg2, xg3, xg4, xg5, xg6, xg7, xg8,
  p1, p2, p3, p4, p5, p7, p10, p11, p12,
  d1, d2, d3, d4, d5, d6,
  // portal, DVDV freshness and routing rules of the catalogue (C–F), one line each
  p3b,
  p6,
  p8,
  p9,
  d7,
  u1,
];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);
