// What every view builds: a table of text cells, one row per thing shown, each row with a typed reference to that
// thing (an app, a network, a route...), so keys act on the thing and never parse a row's text. Widths are computed
// once over every row, so scrolling and filtering never shift columns.
import type {Tone} from '../../provision/text.js';

/** What a row shows: the thing an action on the row acts on. */
export type Ref =
	| {readonly kind: 'app'; readonly app: string}
	| {readonly kind: 'network'; readonly network: string}
	| {readonly kind: 'route'; readonly network: string; readonly prefix: string}
	| {readonly kind: 'target'; readonly network: string; readonly rt: string}
	| {readonly kind: 'iface'; readonly namespace: string; readonly name: string; readonly app?: string}
	| {readonly kind: 'log'; readonly id: number}
	| {readonly kind: 'host'; readonly host: string};

/**
 * A row as the table component draws it. A cell that is a list (targets, apps) also gives its items, so a narrow
 * screen shortens it to what fits and says how many are left (`a, b +3`) instead of cutting a name.
 */
export type Row = {readonly key: string; readonly cells: readonly string[]; readonly tone?: Tone; readonly lists?: ReadonlyArray<readonly string[] | undefined>};
/** A row of a view: what it draws and what it shows. */
export type ViewRow = Row & {readonly ref: Ref};

/**
 * A matrix (targets × networks, hosts × targets): the first `pinned` columns stay while the others scroll sideways;
 * those are drawn narrow under numbers, and `legend` holds their full names.
 */
export type Matrix = {readonly pinned: number; readonly legend: readonly string[]};

export type Table = {readonly columns: readonly string[]; readonly rows: readonly ViewRow[]; readonly widths: readonly number[]; readonly matrix?: Matrix};

const listCols = new WeakMap<readonly Row[], number[]>();

/** Columns holding lists: they give up width first when the table is wider than the screen (once per rows). */
export function listColumns(rows: readonly Row[]): number[] {
	let out = listCols.get(rows);
	if (!out) {
		const set = new Set<number>();
		for (const r of rows) r.lists?.forEach((l, i) => l && set.add(i));
		listCols.set(rows, (out = [...set]));
	}
	return out;
}

/**
 * Widths that fit the screen: when the table is wider, its list columns shrink (down to 16 characters) before
 * anything is cut at the edge; their cells then show as many items as fit and `+N`.
 */
export function fitWidths(t: {readonly columns: readonly string[]; readonly rows: readonly Row[]; readonly widths: readonly number[]}, width: number): number[] {
	const w = [...t.widths];
	const total = () => w.reduce((n, x) => n + x + 2, -1);
	const lists = listColumns(t.rows).sort((a, b) => w[b]! - w[a]!);
	while (total() > width) {
		const widest = lists.filter(i => w[i]! > Math.max(16, t.columns[i]!.length)).sort((a, b) => w[b]! - w[a]!)[0];
		if (widest === undefined) break;
		w[widest] = Math.max(16, t.columns[widest]!.length, w[widest]! - (total() - width));
	}
	return w;
}

export const MAX_COL = 48;

/** Column widths over every row (not just the visible ones), so scrolling and filtering never shift columns. */
export function widthsOf(columns: readonly string[], rows: readonly Row[]): number[] {
	const w = columns.map(c => c.length);
	for (const r of rows) {
		for (let i = 0; i < r.cells.length; i++) {
			const n = r.cells[i]!.length;
			if (n > w[i]!) w[i] = n;
		}
	}
	return w.map(x => Math.min(x, MAX_COL));
}

export function table(columns: readonly string[], rows: readonly ViewRow[], matrix?: Matrix): Table {
	return {columns, rows, widths: widthsOf(columns, rows), ...(matrix ? {matrix} : {})};
}

const collator = new Intl.Collator('en', {numeric: true, sensitivity: 'base'});
/** Natural order: net2 before net10, 10.1.0.9 before 10.1.0.10. */
export const natural = (a: string, b: string): number => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

export function byName<T>(list: readonly T[], name: (x: T) => string): T[] {
	return [...list].sort((a, b) => natural(name(a), name(b)));
}

/**
 * A list in a cell of at most `max` characters: as many items as fit, then `+N` for the rest, so a cut is never
 * silent (the full list is on the row's detail).
 */
export function listCell(items: readonly string[], max = MAX_COL): string {
	if (max <= 0) return '';
	if (items.length === 0) return '-';
	const all = items.join(', ');
	if (all.length <= max) return all;
	for (let n = items.length - 1; n >= 1; n--) {
		const text = `${items.slice(0, n).join(', ')} +${items.length - n}`;
		if (text.length <= max) return text;
	}
	return `${items.length} items`.length <= max ? `${items.length} items` : `+${items.length}`;
}

/** A route target without its `target:` prefix, where room is short. */
export const shortRt = (rt: string): string => (rt.startsWith('target:') ? rt.slice(7) : rt);
