import type * as PlotModule from '@observablehq/plot';
import type * as JsdomModule from 'jsdom';

export interface ChartLibs {
  Plot: typeof PlotModule;
  JSDOM: typeof JsdomModule.JSDOM;
}

let libs: ChartLibs | undefined;

/**
 * Observable Plot and jsdom, loaded on the first chart rather than at start: together they are the largest
 * modules the gateway would otherwise load (about a tenth of the start-up CPU and several MB of heap in the
 * issue-15 start profile, bench/CHANGES-perf-mem.md), and only the availability and conformance report pages
 * draw charts. `require` keeps the render functions synchronous; the first chart pays the load once.
 */
export function chartLibs(): ChartLibs {
  return (libs ??= { Plot: require('@observablehq/plot') as typeof PlotModule, JSDOM: (require('jsdom') as typeof JsdomModule).JSDOM });
}

/** Whether a chart was drawn in this process yet (the lazy-loading test asserts a start loads neither library). */
export const chartLibsLoaded = (): boolean => libs !== undefined;
