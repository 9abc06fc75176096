import { PROTECTION_CONFIG_VARS } from '../../src/config/protection';
import type { Logger } from '../../src/observability/log';
import { startSandboxes, type SandboxWorld } from '../../src/sandbox';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

/**
 * A gateway in production mode (NODE_ENV=production: no sandbox upstreams allowed) whose configured upstream base
 * URLs are sandbox servers started beside it, as a deployment pointing at real upstreams would be configured.
 */
export async function startProductionGateway(env: Record<string, string> = {}, logger?: Logger): Promise<{ gw: TestGateway; sandboxes: SandboxWorld; stop(): Promise<void> }> {
  const sandboxes = await startSandboxes();
  try {
    const gw = await startTestGateway({
      NODE_ENV: 'production',
      // Production's own defaults, which the shared test helper lifts for functional tests.
      MAX_QUERY_COST: '3000',
      RATE_LIMIT_PER_MINUTE: '600',
      EXECUTIONS_PER_CLIENT: PROTECTION_CONFIG_VARS.EXECUTIONS_PER_CLIENT.default,
      PVOG_BASE_URL: sandboxes.urls.pvog,
      THAVEL_BASE_URL: sandboxes.urls.thavel,
      GEOMIS_BASE_URL: sandboxes.urls.geomis,
      GEOPROXY_BASE_URL: sandboxes.urls.geoproxy,
      DVDV_BASE_URLS: sandboxes.urls.dvdv,
      ...env,
    }, logger);
    const stopGateway = gw.stop;
    const stop = async () => {
      await stopGateway();
      await sandboxes.close();
    };
    // The gateway's own stop() also closes the sandboxes it was pointed at.
    return { gw: Object.assign(gw, { stop }), sandboxes, stop };
  } catch (e) {
    await sandboxes.close();
    throw e;
  }
}
