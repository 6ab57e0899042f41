/** "Did you mean …?" suggestions for misspelt model, field and relation names. */

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The candidates close to `input`, nearest first (the same threshold graphql-js uses). */
function suggestionList(input: string, candidates: Iterable<string>): string[] {
  const lower = input.toLowerCase();
  const threshold = Math.floor(input.length * 0.4) + 1;
  const scored: Array<[string, number]> = [];
  for (const candidate of candidates) {
    const distance = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase());
    if (distance <= threshold) scored.push([candidate, distance]);
  }
  return scored.sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0])).map(([name]) => name);
}

/** ` Did you mean "phone"?` or an empty string when nothing is close. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const [first, second] = suggestionList(input, candidates);
  if (!first) return '';
  return second ? ` Did you mean "${first}" or "${second}"?` : ` Did you mean "${first}"?`;
}
