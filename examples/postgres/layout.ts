import type { AggregateSpec, FilterValue, WorkflowEntity } from 'opscharter/core';

/**
 * The SQL type of a filter column. Scalar columns are compared with `= ANY($1)`, array columns
 * (a filter that yields several values, such as the CIs of an incident) with `&& $1`.
 * `integer` is a `bigint`, so any safe JavaScript integer fits.
 */
export type ColumnType = 'text' | 'integer' | 'boolean' | 'text[]' | 'integer[]' | 'boolean[]';

/** How one filter is stored: its type, and the column name when not the snake-cased filter name. */
export type ColumnSpec =
  | ColumnType
  | { readonly type: ColumnType; readonly column?: string | undefined };

/** Where an aggregate's rows live and which real column each list filter reads. */
export interface TableOptions<F extends string> {
  /** One column per filter of the spec. */
  readonly columns: { readonly [K in F]: ColumnSpec };
  /** The table name; default: the spec's name (`incident`). History goes in `<table>_history`. */
  readonly table?: string | undefined;
}

/** A filter column, resolved. */
export interface FilterColumn {
  readonly filter: string;
  readonly column: string;
  readonly type: ColumnType;
  readonly array: boolean;
  /** The JavaScript type of one value: `string`, `number` or `boolean`. */
  readonly jsType: 'string' | 'number' | 'boolean';
}

/** An aggregate's tables and columns, checked once. */
export interface TableLayout {
  readonly aggregate: string;
  readonly table: string;
  readonly history: string;
  readonly columns: readonly FilterColumn[];
}

/** Columns every aggregate table has; a filter column may not take these names. */
const fixedColumns = ['id', 'version', 'created_at', 'updated_at', 'body'];

const identifier = /^[a-z_][a-z0-9_]*$/;

/**
 * Checks an aggregate's table options against its spec and resolves names and types. Throws on a
 * mistake in them: that is a programmer error at start-up, not a runtime outcome.
 *
 * @example
 * tableLayout(incidentSpec, { columns: { state: 'text', priority: 'text', ci: 'text[]' } });
 */
export function tableLayout<E extends WorkflowEntity, F extends string>(
  spec: AggregateSpec<E, F>,
  options: TableOptions<F>,
): TableLayout {
  const table = options.table ?? spec.name;
  checkIdentifier(table, 'table');
  // PostgreSQL truncates names past 63 bytes; the longest we derive is `<table>_history_...`.
  if (table.length > 40) throw new Error(`table name ${table} is too long (40 at most)`);
  const filters = Object.keys(spec.filters);
  const mapped = Object.keys(options.columns);
  for (const name of filters) {
    if (!mapped.includes(name)) throw new Error(`${spec.name}: no column for filter ${name}`);
  }
  const columns: FilterColumn[] = [];
  for (const filter of mapped) {
    if (!filters.includes(filter)) throw new Error(`${spec.name}: ${filter} is not a filter`);
    const given = options.columns[filter as F];
    const { type, column = snakeCase(filter) } =
      typeof given === 'string' ? { type: given } : given;
    checkIdentifier(column, 'column');
    if (`${table}_${column}_idx`.length > 63) {
      throw new Error(`${spec.name}: column name ${column} is too long for table ${table}`);
    }
    if (fixedColumns.includes(column) || columns.some((c) => c.column === column)) {
      throw new Error(`${spec.name}: column ${column} is taken`);
    }
    const array = type.endsWith('[]');
    const base = array ? type.slice(0, -2) : type;
    const jsType = base === 'text' ? 'string' : base === 'integer' ? 'number' : 'boolean';
    columns.push({ filter, column, type, array, jsType });
  }
  return { aggregate: spec.name, table, history: `${table}_history`, columns };
}

/** The SQL type of a column as declared in DDL (`text` columns compare bytewise, like JavaScript). */
export function sqlType(type: ColumnType): string {
  switch (type) {
    case 'text':
      return 'text COLLATE "C"';
    case 'text[]':
      return 'text[] COLLATE "C"';
    case 'integer':
      return 'bigint';
    case 'integer[]':
      return 'bigint[]';
    case 'boolean':
      return 'boolean';
    case 'boolean[]':
      return 'boolean[]';
  }
}

/** The type of a parameter holding several values of a column, for `$1::text[]`. */
export function arrayParamType(column: FilterColumn): string {
  return column.jsType === 'string'
    ? 'text[]'
    : column.jsType === 'number'
      ? 'bigint[]'
      : 'boolean[]';
}

/**
 * The value a filter column stores for an entity: `null` when the filter yields nothing, an
 * array for an array column. Throws when the spec yields a value the column cannot hold.
 */
export function columnValue(
  column: FilterColumn,
  value: FilterValue | readonly FilterValue[] | undefined,
): FilterValue | FilterValue[] | null {
  if (value === undefined) return null;
  const values: readonly FilterValue[] = Array.isArray(value) ? value : [value as FilterValue];
  for (const v of values) {
    if (!fits(column, v)) {
      throw new Error(
        `filter ${column.filter} yielded ${JSON.stringify(v)} for a ${column.type} column`,
      );
    }
  }
  if (column.array) return [...values];
  if (values.length !== 1) {
    throw new Error(
      `filter ${column.filter} yielded ${values.length} values for a ${column.type} column`,
    );
  }
  return values[0]!;
}

/**
 * The wanted values of a list filter that such a column can hold. The in-memory store compares
 * with `===`, so `'3'` never matches `3`: values of another type are dropped, not cast.
 */
export function comparableValues(
  column: FilterColumn,
  wanted: FilterValue | readonly FilterValue[],
): FilterValue[] {
  const values: readonly FilterValue[] = Array.isArray(wanted) ? wanted : [wanted as FilterValue];
  return values.filter((v) => fits(column, v));
}

function fits(column: FilterColumn, v: FilterValue): boolean {
  if (typeof v !== column.jsType) return false;
  if (typeof v === 'number') return Number.isSafeInteger(v);
  if (typeof v === 'string') return !v.includes('\u0000');
  return true;
}

/** Quotes an identifier for SQL. Names are checked against `[a-z_][a-z0-9_]*` first. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function checkIdentifier(name: string, what: string): void {
  if (!identifier.test(name) || name.length > 63) {
    throw new Error(`${what} name ${JSON.stringify(name)} must match [a-z_][a-z0-9_]*`);
  }
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
