// The console's first full frame as text, written before Ink has loaded: as soon as the host's first read is in, the
// operator sees the header and the rows, and Ink, once loaded, draws the same lines over them. Only the plain views
// (a table or the welcome panel, normal mode) are drawn this way; anything else waits for Ink. A test holds it equal
// to Ink's own first frame.
import type {ConsoleController} from '../controller.js';
import {fit} from '../format.js';
import {selectedIndex} from '../state.js';
import {line} from '../table-line.js';
import {filterTable} from '../views/filter.js';
import {fitWidths} from '../views/table.js';
import {tableFor} from '../views.js';
import {detailLines} from './detail.js';
import {footerText} from './footer.js';
import {headerText, titleParts} from './text.js';
import {welcomeLines} from './welcome.js';

export type Size = {readonly columns: number; readonly rows: number};

/** What Lines (lines.tsx) draws in `height` rows: the lines that fit, and how many more there are. */
export function linesText(lines: readonly {text: string}[], height: number, width: number, indent = '   '): string[] {
	const room = Math.max(1, height);
	const more = lines.length > room;
	const shown = lines.slice(0, more ? room - 1 : room).map(l => fit(`${indent}${l.text}`, width, false));
	return more ? [...shown, `  … ${lines.length - shown.length} more lines (j/k to scroll)`] : shown;
}

export function firstFrame(c: ConsoleController, size: Size, demoTag?: string): string | undefined {
	const view = c.getView();
	const data = view.data;
	const top = c.top;
	if (!data || view.state.mode.kind !== 'normal') return undefined;
	const width = size.columns;
	const height = Math.max(8, size.rows - 1);
	const detail = detailLines(top.view, data, width);
	const body = height - 4 - detail.length;
	const table = tableFor(top.view, data);
	if (table.matrix || (top.view.id === 'ifaces' && !data.ifaces)) return undefined;
	const f = filterTable(table, top.filter, top.marked);
	const s = data.snap;
	const empty = s.networks.length === 0 && s.apps.length === 0 && (top.view.id === 'apps' || top.view.id === 'nets' || top.view.id === 'targets') && !top.filter;

	const h = headerText(view, c, width, demoTag);
	const t = titleParts(view, c, width, f.rows.length, table.rows.length);
	const out = [h.text + h.tag, t.title + t.filter + t.tabs, ...linesText(detail, detail.length, width, ' ')];
	const main: string[] = [];
	if (empty) main.push(' nsdeck', ...linesText(welcomeLines(s.host, c.readonly), body - 1, width));
	else {
		const rows = Math.max(1, body - 1);
		const widths = fitWidths({columns: table.columns, rows: f.rows, widths: table.widths}, width);
		const selected = selectedIndex(top, f.index, f.rows.length);
		const offset = Math.max(0, Math.min(selected >= rows ? selected - rows + 1 : 0, Math.max(0, f.rows.length - rows)));
		main.push(line(table.columns, widths, width));
		for (let i = offset; i < Math.min(f.rows.length, offset + rows); i++) main.push(line(f.rows[i]!.cells, widths, width, i === selected, f.rows[i]!.lists));
	}
	while (main.length < body) main.push('');
	const flash = c.flashShown();
	out.push(...main.slice(0, body), flash ? fit(` ${flash.tone === 'bad' ? '✗ ' : flash.tone === 'good' ? '✓ ' : ''}${flash.text}`, width, false) : '', fit(` ${footerText(c)}`, width, false));
	return out.map(l => l.trimEnd()).join('\n');
}
