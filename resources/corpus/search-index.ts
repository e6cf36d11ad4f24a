const STOP_WORDS = new Set(['a', 'an', 'and', 'the', 'of', 'to', 'in', 'is', 'for']);

export function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 1 && !STOP_WORDS.has(t));
}

/** Inverted index with TF-IDF scoring. */
export class SearchIndex {
  private readonly postings = new Map<string, Map<string, number>>();
  private readonly lengths = new Map<string, number>();

  add(id: string, text: string): void {
    const words = tokens(text);
    this.lengths.set(id, words.length);
    for (const word of words) {
      const docs = this.postings.get(word) ?? new Map<string, number>();
      docs.set(id, (docs.get(id) ?? 0) + 1);
      this.postings.set(word, docs);
    }
  }

  search(query: string, limit = 10): { id: string; score: number }[] {
    const scores = new Map<string, number>();
    const total = this.lengths.size;
    for (const word of tokens(query)) {
      const docs = this.postings.get(word);
      if (!docs) continue;
      const idf = Math.log(1 + total / docs.size);
      for (const [id, count] of docs) {
        const tf = count / (this.lengths.get(id) ?? 1);
        scores.set(id, (scores.get(id) ?? 0) + tf * idf);
      }
    }
    return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score).slice(0, limit);
  }
}
