import { SANDBOX_ORIGINS } from '../sandbox/world/constants';
import { GEOPROXY_BASE } from '../sandbox/world/geo';
import { SANDBOX_LINKS_PATH } from '../upstreams/thavel/sandbox';
import type { UpstreamName } from '../upstreams/runtime/names';
import type { ConformanceInput } from './input';

/**
 * The sandbox world's documents name GeoMIS and Geoproxy by their canonical origins (`*.sandbox.invalid`, see
 * src/sandbox/world/README.md); the sandbox servers listen on loopback. These aliases let the rules and probes treat
 * such a URL as the configured upstream it stands for; the web hosts of online-service links stand for the ThAVEL
 * sandbox, which serves their pages. Against real upstreams there are none.
 */
export function sandboxUrlAliases(urls: Partial<Record<UpstreamName, string>>): ConformanceInput['urlAliases'] {
  const out: ConformanceInput['urlAliases'] = [];
  if (urls.geoproxy) out.push({ upstream: 'geoproxy', from: GEOPROXY_BASE, to: urls.geoproxy });
  if (urls.geomis) out.push({ upstream: 'geomis', from: SANDBOX_ORIGINS.geomis, to: urls.geomis });
  // The web hosts of online-service links are served by the ThAVEL sandbox (P-3b runs offline).
  if (urls.thavel) {
    for (const origin of [SANDBOX_ORIGINS.thavel, SANDBOX_ORIGINS.efa, SANDBOX_ORIGINS.ewa, SANDBOX_ORIGINS.bund, SANDBOX_ORIGINS.formulare]) {
      out.push({ upstream: 'thavel', from: origin, to: `${urls.thavel.replace(/\/$/, '')}${SANDBOX_LINKS_PATH}/${new URL(origin).host}` });
    }
  }
  return out;
}
