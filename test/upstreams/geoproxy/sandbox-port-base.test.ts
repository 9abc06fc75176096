import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxPorts } from '../../../src/sandbox';
import { projectRoot } from '../../../src/util/paths';

/** Issue 16 item 8: `thuegate sandbox --port-base N` (the OWSLib test starts it on a free base). */

const BIN = join(projectRoot(), 'bin', 'thuegate.js');

describe('sandbox --port-base', () => {
  it('maps N to pvog, N+1 thavel, N+2 geomis, N+3 geoproxy, N+4 dvdv', () => {
    expect(sandboxPorts(47000)).toEqual({ pvog: 47000, thavel: 47001, geomis: 47002, geoproxy: 47003, dvdv: 47004 });
    expect(() => sandboxPorts(65532)).toThrow(/port base/);
    expect(() => sandboxPorts(0)).toThrow(/port base/);
  });

  it.each(['65532', 'abc', '-1'])('the CLI refuses --port-base %s with a message naming the option', (v) => {
    const r = spawnSync(process.execPath, [BIN, 'sandbox', '--port-base', v], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/--port-base/);
    expect(r.stderr).toMatch(/integer from 1 to 65531/);
  });

  it('is listed in `thuegate sandbox --help`', () => {
    const r = spawnSync(process.execPath, [BIN, 'sandbox', '--help'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout).toContain('--port-base <n>');
  });
});
