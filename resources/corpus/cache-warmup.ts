interface Cache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
}

interface Source {
  list(page: number): Promise<{ ids: string[]; more: boolean }>;
  load(id: string): Promise<unknown>;
}

// Pre-fills the product cache after a deploy.
export async function warmUp(cache: Cache, source: Source, options: { ttl: number; maxPages: number; force?: boolean }): Promise<number> {
  let written = 0;
  for (let page = 0; page < options.maxPages; page++) {
    let listing;
    try {
      listing = await source.list(page);
    } catch {
      break;
    }
    for (const id of listing.ids) {
      const key = `product:${id}`;
      if (!options.force) {
        try {
          if (await cache.get(key)) continue;
        } catch {}
      }
      try {
        const value = await source.load(id);
        if (value !== undefined && value !== null) {
          await cache.set(key, JSON.stringify(value), options.ttl);
          written++;
        }
      } catch (error) {
        if (error instanceof Error && error.message.includes('rate limit')) {
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
    }
    if (!listing.more) break;
  }
  return written;
}
