import { json, problem, text, type SandboxRoute } from '../../sandbox/http';
import { indexWorld } from '../../sandbox/world';
import type { OnlineService, World } from '../../sandbox/world/types';
import { declaredAreas, renderFullOnlinedienst, renderLeistungStub, renderXzufiMessage } from '../../formats/xzufi/render';
import { THAVEL_PATHS } from './client';

/**
 * ThAVEL catalogue sandbox: the world's ThAVEL GovAPPs (`announcedIn.thavel`) as XZuFi 2.2 onlinedienst
 * objects in the Bereitstelldienst envelope. Land and district forms declare their scope ARS (`16`, the
 * Kreis) as gebietID, local ones their municipalities — the adapter must expand. Planted on top of the
 * world's defects: MALFORMED_ENTRIES broken objects spread across pages, between valid neighbours.
 */

const PROBLEM = 'https://thavel.sandbox.invalid/problems/';
export const CATALOGUE_PAGE_OBJECTS = 100;

/** Deliberately broken objects the reader must skip and count (never part of the delta feed). */
export const MALFORMED_ENTRIES: readonly string[] = [
  '<onlinedienst><bezeichnung languageCode="de">[Sandbox] Eintrag ohne id</bezeichnung></onlinedienst>',
  '<onlinedienst><id>SBX16.OD.9000001</id><bezeichnung languageCode="de">[Sandbox] Zuständigkeit ohne leistungID</bezeichnung><zustaendigkeit><gebietID>16</gebietID></zustaendigkeit></onlinedienst>',
  '<leistung><id>SBX16.LB.9000001</id><referenzLeiKa><code>1234</code></referenzLeiKa></leistung>',
];

interface Item {
  xml: string;
  /** For the delta feed; null = not part of it. */
  lastUpdate: string | null;
  /** Leistung ids this object references (their stubs travel with it in a delta). */
  leistungIds: string[];
}

interface Rendered {
  items: Item[];
  stubs: Map<string, string>;
}

const renderedByWorld = new WeakMap<World, Rendered>();

/** The world's ThAVEL catalogue, in feed order. */
export function thavelCatalogueServices(world: World): OnlineService[] {
  return world.onlineServices.filter((o) => o.announcedIn.thavel);
}


function render(world: World): Rendered {
  const cached = renderedByWorld.get(world);
  if (cached) return cached;
  const ix = indexWorld(world);
  const services = thavelCatalogueServices(world);
  const keys = [...new Set(services.flatMap((o) => o.leikaKeys))].sort();
  const unknown = keys.filter((k) => !ix.serviceByKey.has(k));
  const leistungId = new Map(keys.map((k) => [k, ix.serviceByKey.get(k)?.id ?? `SBX16.LB.${9_100_000 + unknown.indexOf(k)}`]));
  const stubs = new Map(
    keys.map((k) => [leistungId.get(k)!, renderLeistungStub(leistungId.get(k)!, k, ix.serviceByKey.get(k)?.name ?? `[Sandbox] Leistung ${k}`)]),
  );
  const entries: Item[] = services.map((o) => {
    const ids = o.leikaKeys.map((k) => leistungId.get(k)!);
    return {
      xml: renderFullOnlinedienst({ o, title: o.thavelVariant?.title ?? o.title, leistungIds: ids, areaIds: declaredAreas(o) }),
      lastUpdate: o.lastUpdate,
      leistungIds: ids,
    };
  });
  // Broken objects sit inside pages, each with valid objects before and after it.
  const at = [3, Math.floor(entries.length / 2), entries.length - 3];
  const withBroken = [...entries];
  MALFORMED_ENTRIES.map((xml, i) => ({ xml, pos: at[i] }))
    .sort((a, b) => b.pos - a.pos)
    .forEach(({ xml, pos }) => withBroken.splice(pos, 0, { xml, lastUpdate: null, leistungIds: [] }));
  const items: Item[] = [...[...stubs.values()].map((xml) => ({ xml, lastUpdate: null, leistungIds: [] })), ...withBroken];
  const out = { items, stubs };
  renderedByWorld.set(world, out);
  return out;
}

export function thavelSandboxRoutes(world: World): SandboxRoute[] {
  const bad = (detail: string) => problem(400, PROBLEM + 'bad-request', 'Bad Request', detail);
  return [
    {
      method: 'GET',
      path: THAVEL_PATHS.catalogue,
      name: 'catalogue',
      handler: (req) => {
        const index = Number(req.query.get('index') ?? '0');
        if (!Number.isInteger(index) || index < 0) return bad('index must be an integer >= 0');
        const since = req.query.get('geaendertSeit');
        if (since !== null && Number.isNaN(Date.parse(since))) return bad('geaendertSeit must be an ISO 8601 instant');
        const { items, stubs } = render(world);
        let list: string[];
        if (since === null) list = items.map((i) => i.xml);
        else {
          const changed = items.filter((i) => i.lastUpdate !== null && Date.parse(i.lastUpdate) >= Date.parse(since));
          const needed = [...new Set(changed.flatMap((i) => i.leistungIds))].sort();
          list = [...needed.map((id) => stubs.get(id)!), ...changed.map((i) => i.xml)];
        }
        const slice = list.slice(index, index + CATALOGUE_PAGE_OBJECTS);
        const next = Math.min(index + CATALOGUE_PAGE_OBJECTS, list.length);
        const nextUrl = new URL(req.url.toString());
        nextUrl.searchParams.set('index', String(next));
        return json({
          xzufiObjekte: renderXzufiMessage(slice, 'thuegate ThAVEL catalogue sandbox', `${world.asOf}T00:00:00Z`),
          vollstaendig: next >= list.length,
          naechsterIndex: next,
          naechsteAnfrageUrl: `${nextUrl.pathname}${nextUrl.search}`,
        });
      },
    },
    {
      // The web hosts the world's online-service links name (thavel/efa/ewa/bund/formulare.sandbox.invalid), so link
      // checks (conformance P-3b) run offline: https://<host>/<path>?<query> is served as
      // /__sandbox/links/<host>/<path>?<query> (src/conformance/sandbox-aliases.ts maps them).
      method: 'GET',
      path: `${SANDBOX_LINKS_PATH}/:host/*`,
      name: 'web-links',
      handler: (req) => {
        const url = `https://${req.params.host}/${req.params['*'] ?? ''}${req.url.search}`;
        return liveLinks(world).has(normalise(url))
          ? { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: `<!doctype html><title>${req.params.host}</title><p>Sandbox-Antragsseite</p>` }
          : text(`no page ${url} on the sandbox web host`, 404);
      },
    },
  ];
}

/** Path prefix under which the ThAVEL sandbox serves the world's web hosts. */
export const SANDBOX_LINKS_PATH = '/__sandbox/links';

const normalise = (url: string) => {
  try {
    return new URL(url).toString();
  } catch {
    return url;
  }
};

const linksByWorld = new WeakMap<World, Set<string>>();

/** Every online-service link of the world whose page exists (retired pages are the planted P-3b defect). */
function liveLinks(world: World): Set<string> {
  let set = linksByWorld.get(world);
  if (!set) {
    set = new Set(world.onlineServices.flatMap((o) => o.links.filter((l) => !l.retired).map((l) => normalise(l.url))));
    linksByWorld.set(world, set);
  }
  return set;
}
