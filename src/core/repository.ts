import type { z } from 'zod';
import type { ConflictError, NotFoundError, ValidationError } from './errors.js';
import type { Result } from './result.js';
import type { LocalizedText } from './text.js';
import type { WorkflowEntity } from './workflow/history.js';

/** A value a list filter compares with. */
export type FilterValue = string | number | boolean;

/**
 * How an aggregate is stored: its name, its schema, and the fields lists filter on, each read
 * from the entity by a function. An adapter keeps these values as real columns; the in-memory
 * store evaluates them directly.
 */
export interface AggregateSpec<E extends WorkflowEntity, F extends string> {
  /** `incident`: used in errors and as a table or collection name. */
  readonly name: string;
  /**
   * What a person calls one entity (`事件` / `Incident`), the workflow's title: not-found and
   * conflict messages name it so (`notFound(spec.name, id, spec.title)`); without it, by `name`.
   */
  readonly title?: LocalizedText | undefined;
  readonly schema: z.ZodType<E, unknown>;
  /** A filter may yield several values (an incident on several CIs); any one matches. */
  readonly filters: {
    readonly [K in F]: (entity: E) => FilterValue | readonly FilterValue[] | undefined;
  };
}

/** The filter names of a spec. */
// biome-ignore lint/suspicious/noExplicitAny: only the filter names are inferred
export type FiltersOf<S> = S extends AggregateSpec<any, infer F> ? F : never;

/** A page request: filters, a creation-time range, a page size and the cursor of the last page. */
export interface ListQuery<F extends string = string> {
  /** Equality per field; an array means any of these values. */
  readonly where?: { readonly [K in F]?: FilterValue | readonly FilterValue[] } | undefined;
  /** Inclusive lower bound on `createdAt` (ISO-8601). */
  readonly createdFrom?: string | undefined;
  /** Exclusive upper bound on `createdAt` (ISO-8601). */
  readonly createdTo?: string | undefined;
  /** Items per page: 1 to 500, default 50. */
  readonly limit?: number | undefined;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string | undefined;
}

/** One page of a list, oldest first (by `createdAt`, then `id`). */
export interface Page<E> {
  readonly items: readonly E[];
  /** Pass it back for the next page; absent on the last page. */
  readonly nextCursor?: string | undefined;
}

/** How a save names the version it read. `0` creates: the id must not exist yet. */
export interface SaveOptions {
  readonly expectedVersion: number;
}

/**
 * The port every store implements for one aggregate. A save with a stale version is a
 * `conflict`, never a silent overwrite; a save that would shorten or edit the history is refused.
 * `opscharter/testing` has the conformance suite every implementation must pass.
 */
export interface Repository<E extends WorkflowEntity, F extends string = string> {
  /** Reads one entity by its id: the entity's own id type, branded for the library's aggregates. */
  get(id: E['id']): Promise<Result<E, NotFoundError | ValidationError>>;
  /** Stores the entity and returns it as stored, with `version` = `expectedVersion + 1`. */
  save(entity: E, options: SaveOptions): Promise<Result<E, ConflictError | ValidationError>>;
  list(query?: ListQuery<F>): Promise<Result<Page<E>, ValidationError>>;
}

/** The default and the largest page size. */
export const pageLimits = { default: 50, max: 500 } as const;
