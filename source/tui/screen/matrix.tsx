// A matrix drawn narrow: the pinned columns (network, target...) stay, the others are cells of 2-3 characters under
// numbers (or short names) that scroll sideways to keep the column cursor shown; a legend under it names the columns
// on screen, the cursor's in full. Only the rows that fit are rendered, as in every table.
import {Box, Text} from 'ink';
import {useRef} from 'react';
import {fit} from '../format.js';
import type {Theme} from '../theme.js';
import type {Shown} from '../views/filter.js';

export type MatrixLayout = {readonly offset: number; readonly visible: readonly number[]; readonly cell: number; readonly pinnedWidth: number; readonly cursor: number};

/** Which scrolling columns fit, given the cursor and the previous offset (moved as little as possible). */
export function layout(s: Shown, width: number, cursor: number, previous: number): MatrixLayout {
	const t = s.table;
	const m = t.matrix!;
	const cols = s.cols ?? [];
	const pinnedWidth = t.widths.slice(0, m.pinned).reduce((n, w) => n + w + 2, 1);
	const cell = Math.max(2, ...cols.map(c => t.widths[c]!));
	const fits = Math.max(1, Math.floor((width - pinnedWidth - 2) / (cell + 1)));
	const at = Math.max(0, Math.min(cursor, cols.length - 1));
	let offset = Math.min(previous, Math.max(0, cols.length - fits));
	if (at < offset) offset = at;
	if (at >= offset + fits) offset = at - fits + 1;
	return {offset, visible: cols.slice(offset, offset + fits), cell, pinnedWidth, cursor: at};
}

function pinned(cells: readonly string[], widths: readonly number[], n: number, selected: boolean): string {
	let out = selected ? '▸' : ' ';
	for (let i = 0; i < n; i++) out += fit(cells[i] ?? '', widths[i]!) + '  ';
	return out;
}

export function Matrix({shown: s, selected, height, width, theme, cursor}: {shown: Shown; selected: number; height: number; width: number; theme: Theme; cursor: number}) {
	const t = s.table;
	const m = t.matrix!;
	const prev = useRef(0);
	const rowOffset = useRef(0);
	const lay = layout(s, width, cursor, prev.current);
	prev.current = lay.offset;
	const cols = s.cols ?? [];
	const more = {left: lay.offset > 0, right: lay.offset + lay.visible.length < cols.length};
	// the legend: the columns on screen by number, the cursor's in full
	const named = cols.every(c => t.columns[c] === m.legend[c - m.pinned]); // short names are their own legend
	const legendText = named ? '' : lay.visible.map(c => `${t.columns[c]}=${m.legend[c - m.pinned]!.replace(/^target:/, '')}`).join('  ');
	const legendLines = Math.min(3, Math.ceil(legendText.length / Math.max(20, width - 4)));
	const rows = Math.max(1, height - 2 - legendLines);
	let o = rowOffset.current;
	if (selected < o) o = selected;
	if (selected >= o + rows) o = selected - rows + 1;
	o = Math.max(0, Math.min(o, Math.max(0, s.rows.length - rows)));
	rowOffset.current = o;
	const cursorCol = cols[lay.cursor];
	const head = pinned(t.columns, t.widths, m.pinned, false);
	const before = lay.visible.filter(c => c !== cursorCol && lay.visible.indexOf(c) < lay.visible.indexOf(cursorCol ?? -1));
	const cellText = (_c: number, text: string) => fit(text, lay.cell);
	const title = theme.color('title') ? {color: theme.color('title')!} : {};
	const lines: React.ReactNode[] = [];
	for (let i = o; i < Math.min(s.rows.length, o + rows); i++) {
		const r = s.rows[i]!;
		const text = pinned(r.cells, t.widths, m.pinned, i === selected) + ' ' + lay.visible.map(c => cellText(c, r.cells[c] ?? '')).join(' ');
		const color = theme.color(r.tone);
		lines.push(<Text key={r.key} wrap="truncate" inverse={i === selected} bold={i === selected} {...(color ? {color} : {})}>{fit(text, width)}</Text>);
	}
	const wrapped = legendText.match(new RegExp(`.{1,${Math.max(20, width - 4)}}(\\s|$)`, 'g')) ?? [];
	return (
		<Box flexDirection="column" height={height} overflowY="hidden">
			<Text bold wrap="truncate" {...title}>
				{fit(head, lay.pinnedWidth)}
				{more.left ? '‹' : ' '}
				{before.map(c => cellText(c, t.columns[c]!)).join(' ')}
				{before.length ? ' ' : ''}
				{cursorCol !== undefined ? <Text inverse>{cellText(cursorCol, t.columns[cursorCol]!)}</Text> : null}
				{' ' + lay.visible.slice(before.length + 1).map(c => cellText(c, t.columns[c]!)).join(' ')}
				{more.right ? ' ›' : ''}
			</Text>
			{lines}
			<Text dimColor wrap="truncate">
				{fit(` ${cols.length === 0 ? 'no column matches' : `columns ${lay.offset + 1}–${lay.offset + lay.visible.length} of ${cols.length}${cols.length < m.legend.length ? ` (${m.legend.length} in all)` : ''}; h/l scroll, m marked only   ▸ ${cursorCol === undefined ? '-' : named ? t.columns[cursorCol] : `${t.columns[cursorCol]} = ${m.legend[cursorCol - m.pinned]}`}`}`, width, false)}
			</Text>
			{wrapped.slice(0, legendLines).map((l, i) => (
				<Text key={`legend${i}`} dimColor wrap="truncate">{fit(`   ${l.trim()}`, width, false)}</Text>
			))}
		</Box>
	);
}
