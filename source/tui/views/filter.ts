// The `/` filter. A plain table keeps the rows whose text holds the filter. A matrix filters both axes: rows whose
// pinned cells hold it and columns whose full name holds it, each axis narrowed only when something on it matches
// (so `/net1` keeps every target column and `/8000012` every network row); `m` then keeps only the rows and columns
// that hold a mark among those shown.
import type {Table, ViewRow} from './table.js';

export type Shown = {
	readonly table: Table;
	readonly rows: readonly ViewRow[];
	/** row key → position in `rows` */
	readonly index: ReadonlyMap<string, number>;
	/** the scrolling columns of a matrix that are shown (indices into `table.columns`); undefined for a plain table */
	readonly cols?: readonly number[];
};

const MARK = /[IE]/;
const cache = new WeakMap<Table, Map<string, Shown>>();

function shown(table: Table, rows: readonly ViewRow[], cols?: readonly number[]): Shown {
	return {table, rows, index: new Map(rows.map((r, i) => [r.key, i])), ...(cols ? {cols} : {})};
}

function matrixFilter(t: Table, needle: string, marked: boolean): Shown {
	const {pinned, legend} = t.matrix!;
	let cols = legend.map((_, j) => pinned + j);
	let rows: readonly ViewRow[] = t.rows;
	if (needle !== '') {
		const rowHits = t.rows.filter(r => r.cells.slice(0, pinned).some(c => c.toLowerCase().includes(needle)));
		const colHits = cols.filter(c => legend[c - pinned]!.toLowerCase().includes(needle));
		if (rowHits.length === 0 && colHits.length === 0) return shown(t, [], []);
		if (rowHits.length > 0) rows = rowHits;
		if (colHits.length > 0) cols = colHits;
	}
	if (marked) {
		rows = rows.filter(r => cols.some(c => MARK.test(r.cells[c] ?? '')));
		cols = cols.filter(c => rows.some(r => MARK.test(r.cells[c] ?? '')));
	}
	return shown(t, rows, cols);
}

/** What a view shows of its table under a filter (case-insensitive); cached per table, filter and `marked`. */
export function filterTable(t: Table, filter: string, marked = false): Shown {
	let by = cache.get(t);
	if (!by) cache.set(t, (by = new Map()));
	const k = `${marked ? 1 : 0}${filter}`;
	let f = by.get(k);
	if (!f) {
		const needle = filter.toLowerCase();
		if (t.matrix) f = matrixFilter(t, needle, marked);
		else f = shown(t, needle === '' ? t.rows : t.rows.filter(r => r.cells.some(c => c.toLowerCase().includes(needle))));
		if (by.size > 32) by.clear();
		by.set(k, f);
	}
	return f;
}
