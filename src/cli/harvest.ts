import { Option, type Command } from 'commander';
import type { Config } from '../config/config';
import { UPSTREAMS, type UpstreamName } from '../upstreams/runtime/names';

/**
 * `thuegate harvest [--upstream NAME…] [--full]`: one harvest into a new snapshot, then exit.
 * Exit codes: 0 complete, 0 with a message when another harvester holds the lock (nothing to do), 1 failed.
 */
export function registerHarvestCommand(program: Command, config: () => Config): void {
  program
    .command('harvest')
    .description('copy the upstream catalogues into a new snapshot in the database (incremental where the upstream allows) and switch to it')
    .addOption(new Option('--upstream <name...>', 'only these upstreams (the others are carried over from the previous snapshot)').choices([...UPSTREAMS]))
    .option('--full', 'read everything instead of deltas (ThAVEL geaendertSeit, GeoMIS modification date); finds GeoMIS deletions')
    .option('--no-progress', 'no progress bars even on a terminal (structured log lines instead)')
    .action(async (opts: { upstream?: UpstreamName[]; full?: boolean; progress: boolean }) => {
      const cfg = config();
      const [{ createLogger }, { openDatabase }, { startSandboxes }, { buildUpstreams }, { harvestWithConfig }, progress] = await Promise.all([
        import('../observability/log'),
        import('../persistence/orm'),
        import('../sandbox'),
        import('../server/gateway'),
        import('../harvest/run'),
        import('../harvest/progress'),
      ]);
      const logger = createLogger(cfg.logLevel);
      const db = await openDatabase({ databaseUrl: cfg.databaseUrl, pgliteDataDir: cfg.pgliteDir, autoMigrate: cfg.autoMigrate });
      const sandboxNames = Object.entries(cfg.upstreams).filter(([, t]) => t.kind === 'sandbox').map(([n]) => n);
      const sandboxes = sandboxNames.length ? await startSandboxes({ only: sandboxNames }) : undefined;
      const baseUrls = Object.fromEntries(
        Object.entries(cfg.upstreams).map(([name, t]) => [name, t.kind === 'url' ? t.urls : [sandboxes!.urls[name]]]),
      ) as Record<UpstreamName, string[]>;
      const reporter = opts.progress && process.stderr.isTTY ? progress.terminalProgress() : progress.logProgress(logger);
      const abort = new AbortController();
      const onSignal = () => abort.abort(new Error('interrupted'));
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const r = await harvestWithConfig({
          config: cfg,
          db,
          baseUrls,
          logger,
          progress: reporter,
          only: opts.upstream,
          full: opts.full,
          signal: abort.signal,
          buildUpstreams: (cache) => buildUpstreams(cfg, baseUrls, cache, logger),
        });
        reporter.stop();
        if (r.status === 'locked') {
          process.stdout.write(`thuegate harvest: another harvest is running — ${r.holder}. Nothing to do; it will switch the snapshot when done.\n`);
        } else if (r.status === 'failed') {
          process.stderr.write(`thuegate harvest: failed: ${r.error}. The previous snapshot stays current; run again to resume snapshot ${r.snapshotId}.\n`);
          process.exitCode = 1;
        } else {
          process.stdout.write(progress.formatSummary(r.counts, r.durationMs, r.snapshotId, r.resumed));
        }
      } finally {
        reporter.stop();
        await sandboxes?.close();
        await db.close();
      }
    });
}
