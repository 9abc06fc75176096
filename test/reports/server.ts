import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AvailabilityMatrixRow, AvailabilityReport } from '../../src/availability/types';
import { createReportsRouter } from '../../src/reports/router';
import { buildMatrix, buildReport } from './fixture';

/** Serves the router on 127.0.0.1:0 with deps answering from data/ and the world; records what they were asked. */
export async function startReportsServer(opts: { snapshot?: boolean } = {}) {
  const calls: unknown[][] = [];
  const notYet = () => Object.assign(new Error('No harvest snapshot yet: run `thuegate harvest` first.'), { code: 'SNAPSHOT_NOT_AVAILABLE' });
  const app = express();
  app.use(
    createReportsRouter({
      async availability(leikaKey, scope): Promise<AvailabilityReport> {
        calls.push(['availability', leikaKey, scope]);
        if (opts.snapshot === false) throw notYet();
        return buildReport(leikaKey, scope ?? null);
      },
      async matrix(leikaKeys, scope): Promise<AvailabilityMatrixRow[]> {
        calls.push(['matrix', leikaKeys, scope]);
        if (opts.snapshot === false) throw notYet();
        return buildMatrix(leikaKeys, scope ?? null);
      },
    }),
  );
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, calls, stop: () => new Promise<void>((r) => server.close(() => r())) };
}
