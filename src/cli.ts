import 'reflect-metadata';
import { Command, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Config } from './config/config';
import { CONFIG_VARS, loadConfig } from './server/config';
import { registerClientsCommand } from './cli/clients';
import { registerCheckCommand } from './conformance/cli';
import { registerHarvestCommand } from './cli/harvest';
import { createLogger } from './observability/log';
import { startupDone } from './boot/started';
import { projectRoot } from './util/paths';

const { version } = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string };

/** Every setting with its default, from the one table README and validation also use. */
function settingsHelp(): string {
  const width = Math.max(...Object.keys(CONFIG_VARS).map((k) => k.length));
  const lines = Object.entries(CONFIG_VARS).map(
    ([k, v]) => `  ${k.padEnd(width)}  ${v.help.replace(/`/g, '')} (default: ${v.default || 'none'})`,
  );
  return `\nSettings (environment variables, or KEY=VALUE lines in --config FILE; the environment wins):\n${lines.join('\n')}\n`;
}

const program = new Command()
  .name('thuegate')
  .description('GraphQL gateway over the Thüringen base services (PVOG/XZuFi, ThAVEL, GeoMIS.Th, Geoproxy, DVDV).')
  .version(version, '-V, --version', 'print the thuegate version')
  .addOption(new Option('-c, --config <file>', 'read KEY=VALUE settings from a file (the environment wins)'))
  .showHelpAfterError();

/** Configuration problems end the process with one line per wrong variable, all of them at once. */
function config(): Config {
  const file = program.opts<{ config?: string }>().config;
  try {
    return loadConfig(file ? { ...process.env, CONFIG_FILE: file } : process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const p of e.problems) process.stderr.write(`thuegate: invalid configuration — ${p.message}\n`);
      process.exit(2);
    }
    throw e;
  }
}

program
  .command('serve')
  .description('start the gateway (embedded defaults: PGlite, in-process cache, sandbox upstreams on loopback ports)')
  .addHelpText('after', settingsHelp)
  .action(async () => {
    const cfg = config();
    const logger = createLogger(cfg.logLevel);
    const { startGateway } = await import('./server/gateway');
    const gw = await startGateway(cfg, logger);
    logger.info('thuegate listening', { url: gw.url, graphql: `${gw.url}/graphql`, upstreams: gw.upstreamUrls, database: gw.db.kind });
    startupDone();
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info('shutting down', { signal });
      // A hung drain must not keep an orchestrator waiting forever.
      setTimeout(() => { logger.error('shutdown grace period exceeded'); process.exit(1); }, cfg.shutdownGraceMs).unref();
      gw.stop().then(
        () => process.exit(0),
        (e) => { logger.error('shutdown failed', { error: (e as Error).message }); process.exit(1); },
      );
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
  });

program
  .command('sandbox')
  .description('start only the simulated upstreams (sandbox world) and print their URLs')
  .addOption(new Option('--faults <plan>', 'fault plan, e.g. "pvog:/v7/*=status:503" (see README)'))
  .addOption(new Option('--seed <seed>', 'world seed').default('thuegate-sandbox'))
  .addOption(new Option('--manifest <file>', 'also write the world manifest (seed, digest, planted defects) as JSON to this file'))
  .addOption(
    new Option('--port-base <n>', 'listen on fixed loopback ports: pvog N, thavel N+1, geomis N+2, geoproxy N+3, dvdv N+4 (default: free ports)').argParser((v) => {
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < 1 || n > 65531) throw new InvalidArgumentError('expected an integer from 1 to 65531');
      return n;
    }),
  )
  .action(async (opts: { faults?: string; seed: string; manifest?: string; portBase?: number }) => {
    const { startSandboxes } = await import('./sandbox');
    const sb = await startSandboxes({ seed: opts.seed, faults: opts.faults, portBase: opts.portBase });
    if (opts.manifest) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(opts.manifest, JSON.stringify({ seed: sb.world.seed, asOf: sb.world.asOf, digest: sb.digest, defects: sb.world.defects }, null, 2) + '\n');
    }
    for (const [name, url] of Object.entries(sb.urls)) process.stdout.write(`${name}\t${url}\n`);
    const stop = () => void sb.close().then(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .option('--dry-run', 'only list pending migrations')
  .action(async (opts: { dryRun?: boolean }) => {
    const cfg = config();
    const { openDatabase } = await import('./persistence/orm');
    const db = await openDatabase({ databaseUrl: cfg.databaseUrl, pgliteDataDir: cfg.pgliteDir });
    try {
      const names = opts.dryRun ? await db.pendingMigrations() : await db.migrate();
      process.stdout.write(`${opts.dryRun ? 'pending' : 'applied'}: ${names.length ? names.join(', ') : 'none'} (${db.kind})\n`);
    } finally {
      await db.close();
    }
  });

registerClientsCommand(
  program,
  async () => {
    const cfg = config();
    const { openDatabase } = await import('./persistence/orm');
    try {
      const db = await openDatabase({ databaseUrl: cfg.databaseUrl, pgliteDataDir: cfg.pgliteDir });
      await db.migrate();
      return db;
    } catch (e) {
      const { DirectoryInUseError } = await import('./persistence/dir-lock');
      const inUse = (e as Error).cause;
      if (!(inUse instanceof DirectoryInUseError)) throw e;
      // The embedded gateway holds the PGlite directory: act through its admin socket (server/admin-socket.ts).
      const { throughRunningGateway } = await import('./cli/admin-client');
      return throughRunningGateway(inUse.dir, inUse.pid, `thuegate ${process.argv.slice(2).map(shellWord).join(' ')}`, (t) => void process.stderr.write(t));
    }
  },
  undefined,
  async (clientId) => {
    const cfg = config();
    if (!cfg.redisUrl) return 'no REDIS_URL: running gateways notice the revocation within their auth cache TTL (30 s)';
    const { publishRevocation } = await import('./server/protection/revocation');
    const n = await publishRevocation(cfg.redisUrl, cfg.protection.redisKeyPrefix, clientId).catch(() => -1);
    return n < 0 ? 'Redis unreachable: running gateways notice the revocation within their auth cache TTL (30 s)' : `notified ${n} running gateway(s)`;
  },
);

/** Quotes a word for a POSIX shell when it needs it, so the printed command can be pasted as is. */
function shellWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

registerCheckCommand(program, config);

registerHarvestCommand(program, config);

program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`thuegate: ${(e as Error).message}\n`);
  process.exit(1);
});
