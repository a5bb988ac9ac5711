import { GatedError } from '@gated/tensor';

/** Shards of a grid are missing from a merge: the merged run would silently lack their units. */
export class ShardMissingError extends GatedError<{ count: number; missing: readonly number[]; present: readonly string[] }> {
  constructor(count: number, missing: readonly number[], present: readonly string[]) {
    super(
      'GATED_SHARD_MISSING',
      `gated merge: expected all ${count} shards of the grid, missing ${missing.map((i) => `${i}/${count}`).join(', ')} (got ${present.join(', ')})`,
      { count, missing, present },
    );
  }
}

/** The same shard appears twice in a merge (e.g. a retried Job index left two output directories). */
export class ShardDuplicateError extends GatedError<{ shard: string; files: readonly string[] }> {
  constructor(shard: string, files: readonly string[]) {
    super('GATED_SHARD_DUPLICATE', `gated merge: expected shard ${shard} once, found it in ${files.join(' and ')}`, { shard, files });
  }
}

/** Runs that cannot be merged: different configurations, code versions or shard counts. */
export class ShardMismatchError extends GatedError<{ field: 'config' | 'code version' | 'shard count' | 'sharding'; values: Readonly<Record<string, string>> }> {
  constructor(field: 'config' | 'code version' | 'shard count' | 'sharding', values: Readonly<Record<string, string>>) {
    const list = Object.entries(values).map(([file, value]) => `${file}: ${value}`);
    super('GATED_SHARD_MISMATCH', `gated merge: expected one ${field} across the inputs, found ${list.join('; ')}`, { field, values });
  }
}
