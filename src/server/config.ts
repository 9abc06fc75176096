import { configVars, parseConfig, type Config, type SectionEntry } from '../config/config';
import { ADAPTERS } from '../upstreams/registry';

/**
 * The gateway's configuration: the core variables plus the section every registered adapter contributes
 * (src/upstreams/<name>/config.ts). Composed here, at the root, so src/config/ never imports an adapter.
 */
const SECTIONS: SectionEntry[] = Object.values(ADAPTERS).map((a) => ({ name: a.name, config: a.config }));

/** Every configuration variable, its default and meaning (the README table is checked against this). */
export const CONFIG_VARS = configVars(SECTIONS);

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return parseConfig(SECTIONS, env);
}
