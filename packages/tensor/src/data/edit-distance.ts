/**
 * Levenshtein distance: the fewest substitutions, insertions and deletions (each costing 1) that turn `a` into
 * `b`. Items are compared with `===`; a string compares by UTF-16 code unit. Symmetric in its arguments.
 *
 * @example
 * editDistance([1, 2, 3], [1, 3]); // 1
 * editDistance('kitten', 'sitting'); // 3
 */
export function editDistance<T>(a: ArrayLike<T>, b: ArrayLike<T>): number {
  return distance(a, b, false);
}

/**
 * Optimal-string-alignment distance: {@link editDistance} where a swap of two adjacent items also costs 1 (the
 * measure of a typo, used to suggest the option a user meant).
 */
export function typoDistance(a: string, b: string): number {
  return distance(a, b, true);
}

// Row by row over a: `previous` is row i − 1 and `beforePrevious` row i − 2 (needed for swaps). The inner loop runs
// len(a)·len(b) times over plain arrays whose indices are in range by construction, hence the `!`.
function distance<T>(a: ArrayLike<T>, b: ArrayLike<T>, swaps: boolean): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (swaps && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, beforePrevious[j - 2]! + 1);
      row.push(d);
    }
    [beforePrevious, previous] = [previous, row];
  }
  return previous[b.length]!;
}
