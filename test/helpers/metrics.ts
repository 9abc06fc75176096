/** Sum of a metric's samples in a /metrics scrape, optionally only those whose labels include `where`. */
export async function scrapeSum(baseUrl: string, name: string, where: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  return sumSamples(text, name, where);
}

export function sumSamples(text: string, name: string, where: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(where).every(([k, v]) => labels[k] === v)) total += Number(m[4]);
  }
  return total;
}
