// One table row as text: the cells cut or padded to their widths, a list cell shortened to what fits (`a, b +3`),
// the selected row marked ▸ (visible without colours too). Shared by the Ink table and the text first frame.
import {fit} from './format.js';
import {listCell, type Row} from './views/table.js';

/**
 * One row as text; the selected one starts with ▸ (visible without colours too) and fills the width (its inverse bar);
 * the others end where their text does (Ink draws less). A list cell shows what fits, then +N.
 */
export function line(cells: readonly string[], widths: readonly number[], width: number, selected = false, lists?: Row['lists']): string {
	let out = '';
	for (let i = 0; i < cells.length; i++) {
		const list = lists?.[i];
		const cell = list && cells[i]!.length > widths[i]! ? listCell(list, widths[i]!) : cells[i]!;
		out += (i === 0 ? (selected ? '▸' : ' ') : '  ') + (i === cells.length - 1 ? fit(cell, widths[i]!, false) : fit(cell, widths[i]!));
		if (out.length >= width) break;
	}
	return selected ? fit(out, width) : fit(out, width, false).trimEnd();
}

