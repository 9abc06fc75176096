import { describe, expect, it } from 'vitest';
import { parseDuration, parseOnly, parseOptions, wantsHelp } from '../../bench/lib/options';

const KNOWN = ['P1', 'P1b', 'P4', 'P5', 'I13'];

describe('bench options', () => {
  it('--only selects scenario ids, case-insensitively, comma- or space-separated', () => {
    expect(parseOptions(['--quick', '--only', 'p4,P5'], {}, KNOWN).only).toEqual(['P4', 'P5']);
    expect(parseOnly('p1b i13', KNOWN)).toEqual(['P1b', 'I13']);
    expect(parseOptions([], { BENCH_ONLY: 'P1' }, KNOWN).only).toEqual(['P1']);
    expect(parseOptions([], {}, KNOWN).only).toBeUndefined();
  });

  it('refuses an unknown id instead of silently running nothing', () => {
    expect(() => parseOptions(['--only', 'P4,P9'], {}, KNOWN)).toThrow(/unknown scenario "P9".*P1, P1b/);
    expect(() => parseOptions(['--only'], {}, KNOWN)).toThrow(/--only needs a value/);
  });

  it('--quick shortens rounds, seconds and the soak; explicit flags win', () => {
    const q = parseOptions(['--quick'], {}, KNOWN);
    expect(q).toMatchObject({ quick: true, rounds: 2, seconds: 3, soakSeconds: 20 });
    expect(parseOptions([], {}, KNOWN)).toMatchObject({ quick: false, rounds: 3, seconds: 4, soakSeconds: 120 });
    expect(parseOptions(['--quick', '--soak', '10m', '--rounds', '5'], {}, KNOWN)).toMatchObject({ rounds: 5, soakSeconds: 600 });
  });

  it('refuses an unknown flag or a stray word with the usage, instead of starting a full run', () => {
    expect(() => parseOptions(['--qiuck'], {}, KNOWN)).toThrow(/unknown option "--qiuck"[\s\S]*usage: npm run bench/);
    expect(() => parseOptions(['--only', 'P4', 'P5'], {}, KNOWN)).toThrow(/unknown option "P5"/);
    expect(wantsHelp(['--help'])).toBe(true);
    expect(wantsHelp(['--quick'])).toBe(false);
  });

  it('reads durations in ms, s and m', () => {
    expect(parseDuration('500ms')).toBe(0.5);
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('2m')).toBe(120);
    expect(() => parseDuration('ten minutes')).toThrow(/duration/);
  });
});
