import { describe, expect, it } from 'vitest';
import { availabilityCsv } from '../../src/reports/availability-csv';
import { formatCsv, parseCsv } from '../../src/util/csv';
import { EWA_KEY, buildMatrix, referenceMunicipalities, worldOnlineSet } from './fixture';

describe('availabilityCsv', () => {
  const wahlschein = '99128009012000';
  const rows = buildMatrix([EWA_KEY, wahlschein]);
  const csv = availabilityCsv(rows);

  it('has the header of issue 11 and one CRLF-terminated line per municipality × key', () => {
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('ars,ags,name,district_ars,population,size_class,leika_key,online');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(1 + 2 * 605 + 1);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('quotes names with commas (RFC 4180), so "Erfurt, Stadt" stays one field', () => {
    const erfurt = referenceMunicipalities().find((m) => m.ars === '160510000000')!;
    const online = worldOnlineSet(EWA_KEY).has(erfurt.ars);
    expect(csv).toContain(`\r\n160510000000,16051000,"Erfurt, Stadt",16051,${erfurt.population},OVER_5000,${EWA_KEY},${online}\r\n`);
    // Amt Wachsenburg needs no quotes.
    expect(csv).toMatch(/\r\n160700028028,16070028,Amt Wachsenburg,16070,7967,OVER_5000,/);
  });

  it('round-trips through the RFC 4180 parser with every value intact', () => {
    const parsed = parseCsv(csv);
    expect(parsed).toHaveLength(rows.length);
    parsed.forEach((p, i) => {
      const r = rows[i];
      expect(p).toEqual({
        ars: r.ars, ags: r.ags, name: r.name, district_ars: r.districtArs, population: String(r.population),
        size_class: r.sizeClass, leika_key: r.leikaKey, online: String(r.online),
      });
    });
    const ewaOnline = parsed.filter((p) => p.leika_key === EWA_KEY && p.online === 'true').map((p) => p.ars);
    const online = worldOnlineSet(EWA_KEY);
    expect(new Set(ewaOnline)).toEqual(new Set(referenceMunicipalities().map((m) => m.ars).filter((a) => online.has(a))));
  });

  it('doubles quotes and quotes line breaks', () => {
    const text = formatCsv(['a', 'b', 'c'], [['say "hi"', 'two\nlines', null], [1, true, 'x,y']]);
    expect(text).toBe('a,b,c\r\n"say ""hi""","two\nlines",\r\n1,true,"x,y"\r\n');
    expect(parseCsv(text)).toEqual([{ a: 'say "hi"', b: 'two\nlines', c: '' }, { a: '1', b: 'true', c: 'x,y' }]);
    expect(() => formatCsv(['a', 'b'], [['only one']])).toThrow(/1 fields, header has 2/);
  });
});
