import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { clearLine, cursorTo } from 'node:readline';
import { Command, Option } from 'commander';
import {
  ConformanceDocument,
  ConformanceRulesDocument,
  ConformanceRunDocument,
  StartConformanceRunDocument,
  execute,
  type RequestOptions,
} from '../../client/src';
import type { Config } from '../config/config';
import { isArs } from '../reference/municipalities';
import { failsAt } from './engine';
import { toJson, toJunit, toText, type Report, type ReportFinding } from './report-formats';
import type { Severity } from './types';

export interface CheckOptions {
  scope?: string;
  rules?: string;
  format: 'junit' | 'json' | 'text';
  output?: string;
  failOn: Severity | 'never';
  url?: string;
  apiKey?: string;
  /** With --url: start a fresh run on the gateway first (needs an admin API key). */
  run?: boolean;
  timeout: string;
}

export interface CheckIo {
  out(text: string): void;
  err(text: string): void;
  /** A terminal: show a progress line there. */
  tty: boolean;
}

/** Exit codes of `thuegate check` (README): 0 nothing at or above --fail-on, 1 such findings, 2 the check could not run. */
export const EXIT = { ok: 0, findings: 1, error: 2 } as const;

class CheckError extends Error {}

const lower = (s: string) => s.toLowerCase() as Severity;

/** `thuegate check`: registered by src/cli.ts. `loadConfig` reads the configuration (embedded mode only). */
export function registerCheckCommand(program: Command, loadConfig: () => Config, io: CheckIo = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t), tty: !!process.stderr.isTTY }): Command {
  return program
    .command('check')
    .description('run the conformance checks (docs/conformance-rules.md) and report the findings; embedded sandbox gateway unless --url is given')
    .addOption(new Option('--scope <ars>', 'only findings in this area (ARS of 2, 3, 5, 9 or 12 digits)'))
    .addOption(new Option('--rules <ids>', 'comma-separated rule ids, e.g. R1,XG2,P-2'))
    .addOption(new Option('--format <format>', 'report format').choices(['junit', 'json', 'text']).default('text'))
    .addOption(new Option('--output <file>', 'write the report to this file (default: standard output)'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding has at least this severity').choices(['error', 'warning', 'info', 'never']).default('error'))
    .addOption(new Option('--url <gateway>', 'query a running gateway (its base URL or /graphql endpoint) instead of starting an embedded one'))
    .addOption(new Option('--api-key <key>', 'API key for --url (integrator: DVDV evidence; admin: --run)').env('THUEGATE_API_KEY'))
    .addOption(new Option('--run', 'with --url: start a fresh run on the gateway first (admin key) instead of reading its latest run'))
    .addOption(new Option('--timeout <seconds>', 'give up waiting for a run after this long').default('900'))
    .addHelpText('after', '\nExit codes: 0 = no finding at or above --fail-on, 1 = such findings, 2 = the check could not run.\n')
    .action(async (opts: CheckOptions) => {
      process.exitCode = await runCheck(opts, loadConfig, io);
    });
}

export async function runCheck(opts: CheckOptions, loadConfig: () => Config, io: CheckIo): Promise<number> {
  let stopEmbedded: (() => Promise<void>) | undefined;
  try {
    if (opts.scope !== undefined && !isArs(opts.scope)) throw new CheckError(`--scope: expected an ARS of 2, 3, 5, 9 or 12 digits, got ${JSON.stringify(opts.scope)}`);
    const rules = opts.rules ? opts.rules.split(',').map((r) => r.trim()).filter(Boolean) : undefined;
    const timeoutMs = Number(opts.timeout) * 1000;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new CheckError(`--timeout: expected a number of seconds, got ${JSON.stringify(opts.timeout)}`);

    let client: RequestOptions;
    let startRun: boolean;
    if (opts.url) {
      const base = opts.url.replace(/\/+$/, '');
      client = { url: base.endsWith('/graphql') ? base : `${base}/graphql`, apiKey: opts.apiKey };
      startRun = !!opts.run;
    } else {
      // Embedded: a gateway on a free loopback port over the configured upstreams (default: the sandbox world),
      // a throwaway database unless DATABASE_URL is set, and a one-off admin token for this process only. It gets a
      // fresh harvest first (issue 12: "starts an embedded one with a fresh harvest"), and the run checks that snapshot.
      const adminToken = randomBytes(24).toString('base64url');
      const cfg = loadConfig();
      const { startGateway, buildUpstreams } = await import('../server/gateway');
      const { createLogger } = await import('../observability/log');
      const { harvestWithConfig } = await import('../harvest/run');
      const logger = createLogger(cfg.logLevel === 'info' ? 'error' : cfg.logLevel);
      // No harvest schedule inside: this process harvests once, below, and a scheduled one would only take the lock.
      // The sandbox PVOG serves the Bereitstelldienst feed too: the embedded harvest reads it (P-12 needs it) unless a
      // feed is configured.
      const pvog = cfg.upstreams.pvog.kind === 'sandbox' && !cfg.adapters.pvog.bulk ? { ...cfg.adapters.pvog, bulk: { kind: 'sandbox' as const } } : cfg.adapters.pvog;
      const embeddedCfg = {
        ...cfg,
        host: '127.0.0.1',
        port: 0,
        adminToken,
        pgliteDir: cfg.databaseUrl ? cfg.pgliteDir : 'memory://',
        autoMigrate: true,
        harvest: { ...cfg.harvest, intervalMs: null },
        adapters: { ...cfg.adapters, pvog },
      };
      const gw = await startGateway(embeddedCfg, logger);
      stopEmbedded = () => gw.stop();
      const harvestProgress = progressLine(io);
      harvestProgress('thuegate check: harvesting the upstreams into a fresh snapshot…');
      const harvest = await harvestWithConfig({
        config: embeddedCfg,
        db: gw.db,
        baseUrls: gw.upstreamUrls,
        logger,
        buildUpstreams: (cache) => buildUpstreams(embeddedCfg, gw.upstreamUrls, cache, logger),
      });
      harvestProgress(null);
      if (harvest.status === 'failed') throw new CheckError(`the fresh harvest did not complete: ${harvest.error}`);
      // A shared DATABASE_URL where another process is harvesting: check over the latest complete snapshot (the report names it).
      if (harvest.status === 'locked') io.err(`thuegate check: another process is harvesting (${harvest.holder}); checking the latest complete snapshot\n`);
      stopEmbedded = () => gw.stop();
      client = { url: `${gw.url}/graphql`, headers: { authorization: `Bearer ${adminToken}` } };
      startRun = true;
    }

    const progress = progressLine(io);
    let runId: string | undefined;
    if (startRun) {
      const started = await execute(client, StartConformanceRunDocument, { scope: opts.scope, rules });
      if (started.errors.length || !started.data) throw new CheckError(`could not start a run: ${started.errors.map((e) => e.message).join('; ') || `HTTP ${started.status}`}`);
      runId = started.data.startConformanceRun.id;
      const t0 = Date.now();
      for (;;) {
        const r = await execute(client, ConformanceRunDocument, { id: runId });
        const run = r.data?.conformanceRun;
        if (!run) throw new CheckError(`run ${runId}: ${r.errors.map((e) => e.message).join('; ') || 'not found'}`);
        if (run.status === 'FAILED') throw new CheckError(`run ${runId} failed: ${run.error ?? 'unknown error'}`);
        if (run.status === 'SUCCEEDED') break;
        if (Date.now() - t0 > timeoutMs) throw new CheckError(`run ${runId} did not finish within ${opts.timeout} s`);
        progress(`thuegate check: run ${runId.slice(0, 8)} collecting and checking… ${Math.round((Date.now() - t0) / 1000)} s`);
        await new Promise((res) => setTimeout(res, 500));
      }
      progress(null);
    }

    const [res, catalogue] = await Promise.all([
      execute(client, ConformanceDocument, { scope: opts.scope, rules, run: runId }),
      execute(client, ConformanceRulesDocument),
    ]);
    const report = res.data?.conformance;
    // Restricted evidence (D-rules without the integrator role) comes back as null + FORBIDDEN: partial, not fatal.
    const fatal = res.errors.filter((e) => e.extensions?.code !== 'FORBIDDEN');
    if (fatal.length || !catalogue.data) throw new CheckError([...fatal, ...catalogue.errors].map((e) => e.message).join('; ') || `HTTP ${res.status}`);
    if (!report) throw new CheckError('the gateway has no finished conformance run covering this scope and these rules yet (start one with --run and an admin key)');
    if (res.errors.length) io.err(`thuegate check: evidence of ${res.errors.length} DVDV finding(s) withheld — needs an integrator API key\n`);

    const titles = new Map(catalogue.data.conformanceRules.map((r) => [r.id, r]));
    const out: Report = {
      gateway: opts.url ?? 'embedded sandbox gateway',
      run: {
        id: report.run.id,
        startedAt: report.run.startedAt,
        finishedAt: report.run.finishedAt ?? null,
        scope: report.run.scope ?? null,
        rules: report.run.rules ?? null,
        basis: report.run.basis ? { source: report.run.basis.source, snapshotId: report.run.basis.snapshotId ?? null, snapshotAsOf: report.run.basis.snapshotAsOf ?? null, live: report.run.basis.live } : null,
      },
      rules: report.run.outcomes
        .filter((o) => !rules || rules.some((x) => x.toUpperCase() === o.rule.toUpperCase()))
        .map((o) => ({ id: o.rule, title: titles.get(o.rule)?.title ?? o.rule, source: titles.get(o.rule)?.source ?? '', status: o.status, reason: o.reason ?? null })),
      findings: report.findings.map((f): ReportFinding => ({ rule: f.rule, subject: f.subject, severity: lower(f.severity), message: f.message, evidence: (f.evidence as Record<string, unknown> | null) ?? null, upstream: f.upstream, ars: f.ars })),
    };
    const text = opts.format === 'json' ? toJson(out) : opts.format === 'junit' ? toJunit(out) : toText(out);
    if (opts.output) writeFileSync(opts.output, text);
    else io.out(text);
    if (opts.output || opts.format !== 'text') io.err(`thuegate check: ${out.findings.length} finding(s) from ${out.rules.length} rule(s)${opts.output ? ` → ${opts.output}` : ''}\n`);
    return failsAt(out.findings, opts.failOn) ? EXIT.findings : EXIT.ok;
  } catch (e) {
    io.err(`thuegate check: ${(e as Error).message}\n`);
    return EXIT.error;
  } finally {
    await stopEmbedded?.().catch(() => undefined);
  }
}

/** One self-overwriting status line on a terminal; nothing when output is not a TTY (CI logs stay clean). */
function progressLine(io: CheckIo): (text: string | null) => void {
  if (!io.tty) return () => undefined;
  return (text) => {
    clearLine(process.stderr, 0);
    cursorTo(process.stderr, 0);
    if (text) process.stderr.write(text);
  };
}

