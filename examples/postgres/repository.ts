import {
  type AggregateSpec,
  type ConflictError,
  conflict,
  decodeCursor,
  encodeCursor,
  err,
  extendsHistory,
  type FilterValue,
  fieldError,
  fromZodError,
  type HistoryEntry,
  type ListQuery,
  listQueryValidator,
  notFound,
  ok,
  pageLimits,
  type Repository,
  type Result,
  text,
  type ValidationError,
  type WorkflowEntity,
} from 'opscharter/core';
import type { z } from 'zod';
import type { SqlClient, SqlExecutor } from './client.js';
import {
  arrayParamType,
  type ColumnType,
  columnValue,
  comparableValues,
  type FilterColumn,
  quoteIdent,
  type TableOptions,
  tableLayout,
} from './layout.js';
import { schemaName } from './migrations.js';

/** Where the tables are (`schema`, default `public`) and which column each filter reads. */
export interface PostgresRepositoryOptions<F extends string> extends TableOptions<F> {
  readonly schema?: string | undefined;
}

/** `version` is a PostgreSQL `integer`. */
const maxVersion = 2 ** 31 - 1;

/** A row as the read query returns it. */
interface EntityRow {
  readonly id: string;
  readonly version: number;
  readonly body: unknown;
  readonly history: unknown;
}

/** Thrown inside a transaction to roll it back and return an expected failure. */
class Refusal {
  constructor(readonly error: ConflictError | ValidationError) {}
}

/**
 * A `Repository` over PostgreSQL, for any aggregate: the entity body as JSONB, a real column per
 * list filter, `version` for optimistic concurrency, and the history in an append-only table of
 * its own. A save and its history append commit together or not at all. The tables come from
 * `aggregateMigration` (run `migrate` first). Passes the `opscharter/testing` conformance suite.
 *
 * @example
 * const incidents = createPostgresRepository(client, incidentSpec, {
 *   columns: { state: 'text', priority: 'text', ci: 'text[]' },
 *   schema: 'opscharter',
 * });
 * await incidents.save(incident, { expectedVersion: 0 });
 */
export function createPostgresRepository<E extends WorkflowEntity, F extends string>(
  client: SqlClient,
  spec: AggregateSpec<E, F>,
  options: PostgresRepositoryOptions<F>,
): Repository<E, F> {
  const layout = tableLayout(spec, options);
  const schema = quoteIdent(schemaName(options.schema));
  const table = `${schema}.${quoteIdent(layout.table)}`;
  const history = `${schema}.${quoteIdent(layout.history)}`;
  const columns = layout.columns;
  const byFilter = new Map(columns.map((c) => [c.filter, c]));
  const validateQuery = listQueryValidator(Object.keys(spec.filters));

  const selectSql = `SELECT e.id, e.version, e.body, coalesce(h.history, '[]'::jsonb) AS history
FROM ${table} e
LEFT JOIN LATERAL (
  SELECT jsonb_agg(x.entry ORDER BY x.seq) AS history FROM ${history} x WHERE x.entity_id = e.id
) h ON true`;
  // $1 id, $2 version, $3 created_at, $4 updated_at, $5 body, then one per filter column.
  const filterParams = columns.map((c, i) => `$${i + 6}::${paramType(c.type)}`);
  const insertSql = `INSERT INTO ${table} (id, version, created_at, updated_at, body${columns
    .map((c) => `, ${quoteIdent(c.column)}`)
    .join('')})
VALUES ($1, $2::integer + 1, $3, $4, $5::text::jsonb${filterParams.map((p) => `, ${p}`).join('')})
ON CONFLICT (id) DO NOTHING RETURNING version`;
  const updateSql = `UPDATE ${table} SET version = version + 1, created_at = $3, updated_at = $4,
  body = $5::text::jsonb${columns.map((c, i) => `, ${quoteIdent(c.column)} = ${filterParams[i]}`).join('')}
WHERE id = $1 AND version = $2 RETURNING version`;
  const historySql = `INSERT INTO ${history} (entity_id, seq, at, actor_id, command, from_state, to_state, entry)
SELECT $1, (x->>'seq')::integer, x->>'at', x->'actor'->>'id', x->>'command', x->>'from', x->>'to', x
FROM jsonb_array_elements($2::text::jsonb) AS x`;
  const storedHistorySql = `SELECT seq, at, command, to_state FROM ${history} WHERE entity_id = $1 ORDER BY seq`;
  const versionSql = `SELECT version FROM ${table} WHERE id = $1`;

  const toEntity = (row: EntityRow): Result<E, ValidationError> => {
    const candidate =
      typeof row.body === 'object' && row.body !== null && !Array.isArray(row.body)
        ? { ...row.body, id: row.id, version: row.version, history: row.history }
        : row.body;
    const parsed = spec.schema.safeParse(candidate);
    // zod freezes `.readonly()` values: hand out a plain copy, as the in-memory store does.
    return parsed.success
      ? ok(structuredClone(parsed.data))
      : err(corruptRow(spec.name, row.id, parsed.error));
  };

  const storedVersion = async (db: SqlExecutor, id: string) => {
    const { rows } = await db.query<{ version: number }>(versionSql, [id]);
    return rows[0]?.version;
  };

  const conflictWith = async (db: SqlExecutor, id: string, expectedVersion: number) =>
    conflict(spec.name, id, expectedVersion, await storedVersion(db, id), spec.title);

  return {
    async get(id) {
      // An id PostgreSQL text cannot hold cannot have been stored.
      if (typeof id !== 'string' || id.includes('\u0000'))
        return err(notFound(spec.name, id, spec.title));
      const { rows } = await client.query<EntityRow>(`${selectSql} WHERE e.id = $1`, [id]);
      const row = rows[0];
      return row ? toEntity(row) : err(notFound(spec.name, id, spec.title));
    },

    async save(entity, { expectedVersion }) {
      const parsed = spec.schema.safeParse(entity);
      if (!parsed.success) return err(fromZodError(parsed.error));
      const value = parsed.data;
      const nul = pathWithNul(value, '');
      if (nul !== undefined) return err(nulError(nul));
      if (
        !Number.isInteger(expectedVersion) ||
        expectedVersion < 0 ||
        expectedVersion >= maxVersion
      ) {
        return err(await conflictWith(client, value.id, expectedVersion));
      }
      const { history: entries, version: _version, ...body } = value;
      const params = [
        value.id,
        expectedVersion,
        value.createdAt,
        value.updatedAt,
        JSON.stringify(body),
        ...columns.map((c) => columnValue(c, spec.filters[c.filter as F](value))),
      ];
      try {
        await client.transaction(async (tx) => {
          let stored: readonly HistoryEntry[] = [];
          if (expectedVersion === 0) {
            const { rows } = await tx.query(insertSql, params);
            if (rows.length === 0) throw new Refusal(await conflictWith(tx, value.id, 0));
          } else {
            const { rows } = await tx.query(updateSql, params);
            if (rows.length === 0) {
              throw new Refusal(await conflictWith(tx, value.id, expectedVersion));
            }
            // The UPDATE holds the row lock: no other save of this entity runs until we commit.
            const previous = await tx.query<{
              seq: number;
              at: string;
              command: string;
              to_state: string;
            }>(storedHistorySql, [value.id]);
            stored = previous.rows.map(
              (r) => ({ ...r, to: r.to_state }) as unknown as HistoryEntry,
            );
          }
          if (!extendsHistory(stored, entries)) throw new Refusal(appendOnlyError());
          const added = entries.slice(stored.length);
          if (added.length > 0) await tx.query(historySql, [value.id, JSON.stringify(added)]);
        });
      } catch (error) {
        if (error instanceof Refusal) return err(error.error);
        throw error;
      }
      return ok(structuredClone({ ...value, version: expectedVersion + 1 }));
    },

    async list(query: ListQuery<F> = {}) {
      const valid = validateQuery(query);
      if (!valid.ok) return valid;
      const limit = query.limit ?? pageLimits.default;
      const params: unknown[] = [];
      const param = (v: unknown) => {
        params.push(v);
        return `$${params.length}`;
      };
      const where: string[] = [];
      if (query.createdFrom !== undefined)
        where.push(`e.created_at >= ${param(query.createdFrom)}`);
      if (query.createdTo !== undefined) where.push(`e.created_at < ${param(query.createdTo)}`);
      if (query.cursor !== undefined) {
        const after = decodeCursor(query.cursor);
        if (!after.ok) return after;
        const { createdAt, id } = after.value;
        if (createdAt.includes('\u0000') || id.includes('\u0000')) return err(badCursor());
        where.push(`(e.created_at, e.id) > (${param(createdAt)}, ${param(id)})`);
      }
      const filters = Object.entries(query.where ?? {}) as [
        string,
        FilterValue | readonly FilterValue[],
      ][];
      for (const [field, wanted] of filters) {
        const column = byFilter.get(field) as FilterColumn;
        const values = `${param(comparableValues(column, wanted))}::${arrayParamType(column)}`;
        const name = `e.${quoteIdent(column.column)}`;
        where.push(column.array ? `${name} && ${values}` : `${name} = ANY(${values})`);
      }
      const sql = `${selectSql}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}
ORDER BY e.created_at, e.id LIMIT ${param(limit + 1)}`;
      const { rows } = await client.query<EntityRow>(sql, params);
      const items: E[] = [];
      for (const row of rows.slice(0, limit)) {
        const entity = toEntity(row);
        if (!entity.ok) return entity;
        items.push(entity.value);
      }
      const last = items[items.length - 1];
      return ok({
        items,
        nextCursor: rows.length > limit && last ? encodeCursor(last) : undefined,
      });
    },
  };
}

function paramType(type: ColumnType): string {
  return type.replace('integer', 'bigint');
}

/** A stored row that fails the entity schema: a validation error that names the row. */
function corruptRow(aggregate: string, id: string, error: z.ZodError): ValidationError {
  const { issues } = fromZodError(error);
  const fields = issues.map((i) => i.path || '(entity)').join(', ');
  return {
    code: 'validation',
    issues,
    message: text(
      `存储的${aggregate} ${id} 不符合其模式:${fields}`,
      `Stored ${aggregate} ${id} fails its schema: ${fields}`,
    ),
  };
}

function appendOnlyError(): ValidationError {
  return fieldError(
    'history',
    'append_only',
    text(
      '历史记录只能追加,不能删除或修改',
      'History is append-only: nothing may be removed or edited',
    ),
  );
}

function badCursor(): ValidationError {
  return fieldError('cursor', 'invalid_cursor', text('游标无效', 'Invalid cursor'));
}

function nulError(path: string): ValidationError {
  return fieldError(
    path,
    'nul_character',
    text('文本不能包含 NUL 字符(\\u0000)', 'Text may not contain the NUL character (\\u0000)'),
  );
}

/** The dotted path of the first string holding U+0000, which PostgreSQL text cannot store. */
function pathWithNul(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const here = path === '' ? key : `${path}.${key}`;
    if (key.includes('\u0000')) return here;
    const found = pathWithNul(item, here);
    if (found !== undefined) return found;
  }
  return undefined;
}
