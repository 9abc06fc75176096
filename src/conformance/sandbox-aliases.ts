import { SANDBOX_ORIGINS } from '../sandbox/world/constants';
import { GEOPROXY_BASE } from '../sandbox/world/geo';
import type { UpstreamName } from '../upstreams/runtime/names';
import type { ConformanceInput } from './input';

/**
 * The sandbox world's documents name GeoMIS and Geoproxy by their canonical origins (`*.sandbox.invalid`, see
 * src/sandbox/world/README.md); the sandbox servers listen on loopback. These aliases let the rules and probes treat
 * such a URL as the configured upstream it stands for. Against real upstreams there are none.
 */
export function sandboxUrlAliases(urls: Partial<Record<UpstreamName, string>>): ConformanceInput['urlAliases'] {
  const out: ConformanceInput['urlAliases'] = [];
  if (urls.geoproxy) out.push({ upstream: 'geoproxy', from: GEOPROXY_BASE, to: urls.geoproxy });
  if (urls.geomis) out.push({ upstream: 'geomis', from: SANDBOX_ORIGINS.geomis, to: urls.geomis });
  return out;
}
