import { compareByCreation, decodeCursor, encodeCursor } from '../core/cursor.js';
import { conflict, fieldError, fromZodError, notFound } from '../core/errors.js';
import { listQueryValidator } from '../core/list-query.js';
import {
  type AggregateSpec,
  type FilterValue,
  type ListQuery,
  pageLimits,
  type Repository,
} from '../core/repository.js';
import { err, ok } from '../core/result.js';
import { text } from '../core/text.js';
import { extendsHistory, type WorkflowEntity } from '../core/workflow/history.js';

/**
 * An in-memory repository for one aggregate: the embedded default, and the reference the
 * conformance suite was written against. Entities are copied in and out, so a caller that
 * mutates what it got back cannot change what is stored.
 *
 * @example
 * const incidents = createMemoryRepository(incidentSpec);
 * await incidents.save(incident, { expectedVersion: 0 });
 */
export function createMemoryRepository<E extends WorkflowEntity, F extends string>(
  spec: AggregateSpec<E, F>,
): Repository<E, F> {
  const rows = new Map<string, E>();
  const validateQuery = listQueryValidator(Object.keys(spec.filters));
  return {
    async get(id) {
      const row = rows.get(id);
      return row ? ok(structuredClone(row)) : err(notFound(spec.name, id, spec.title));
    },

    async save(entity, { expectedVersion }) {
      // Everything up to the write runs synchronously, so two saves of one version cannot
      // interleave: the first wins, the second sees the bumped version and is a conflict.
      const parsed = spec.schema.safeParse(entity);
      if (!parsed.success) return err(fromZodError(parsed.error));
      const stored = rows.get(entity.id);
      const actual = stored?.version ?? 0;
      if (!Number.isInteger(expectedVersion) || expectedVersion !== actual) {
        return err(conflict(spec.name, entity.id, expectedVersion, stored?.version, spec.title));
      }
      // A new entity's history must itself be a proper start (seq 1, 2, …), as a stored one's
      // must be extended: the same rule for both, so no store accepts what another refuses.
      if (!extendsHistory(stored?.history ?? [], entity.history)) {
        return err(
          fieldError(
            'history',
            'append_only',
            text(
              '历史记录只能追加,不能删除或修改',
              'History is append-only: nothing may be removed or edited',
            ),
          ),
        );
      }
      // zod's output is already a deep copy of the input, so only what we hand back is cloned.
      const saved = { ...parsed.data, version: actual + 1 } as E;
      rows.set(entity.id, saved);
      return ok(structuredClone(saved));
    },

    async list(query: ListQuery<F> = {}) {
      const valid = validateQuery(query);
      if (!valid.ok) return valid;
      const limit = query.limit ?? pageLimits.default;
      let after: { createdAt: string; id: string } | undefined;
      if (query.cursor !== undefined) {
        const position = decodeCursor(query.cursor);
        if (!position.ok) return position;
        after = position.value;
      }
      const where = Object.entries(query.where ?? {}) as [
        F,
        FilterValue | readonly FilterValue[],
      ][];
      const matches: E[] = [];
      for (const row of rows.values()) {
        if (query.createdFrom !== undefined && row.createdAt < query.createdFrom) continue;
        if (query.createdTo !== undefined && row.createdAt >= query.createdTo) continue;
        if (after && compareByCreation(row, after) <= 0) continue;
        if (where.every(([field, wanted]) => matchesFilter(spec.filters[field](row), wanted))) {
          matches.push(row);
        }
      }
      matches.sort(compareByCreation);
      const items = matches.slice(0, limit).map((row) => structuredClone(row));
      const last = items[items.length - 1];
      return ok({
        items,
        nextCursor: matches.length > limit && last ? encodeCursor(last) : undefined,
      });
    },
  };
}

function matchesFilter(
  actual: FilterValue | readonly FilterValue[] | undefined,
  wanted: FilterValue | readonly FilterValue[],
): boolean {
  if (actual === undefined) return false;
  const wants = Array.isArray(wanted) ? wanted : [wanted];
  const has = Array.isArray(actual) ? actual : [actual];
  return has.some((value) => wants.includes(value));
}
