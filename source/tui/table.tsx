// A table of plain text lines that renders only the rows that fit: the cost of a key press does not grow with the
// number of rows. Column widths come with the table, computed once over every row.
import {Box, Text} from 'ink';
import {memo, useRef} from 'react';
import type {Theme} from './theme.js';
import {line} from './table-line.js';
import {fitWidths} from './views/table.js';

export {line};
import type {Row} from './views.js';

export type TableProps = {
	readonly columns: readonly string[];
	readonly widths: readonly number[];
	readonly rows: readonly Row[];
	readonly selected: number;
	readonly height: number;
	readonly width: number;
	readonly theme: Theme;
	/** false renders every row (the naive way, kept for the benchmark) */
	readonly windowed?: boolean;
};

/** Keeps the selected row on screen, moving the window as little as possible (it survives re-renders in a ref). */
function useWindow(selected: number, height: number, count: number): number {
	const offset = useRef(0);
	let o = offset.current;
	if (selected < o) o = selected;
	if (selected >= o + height) o = selected - height + 1;
	o = Math.max(0, Math.min(o, Math.max(0, count - height)));
	offset.current = o;
	return o;
}

const RowLine = memo(function RowLine({text, selected, color}: {text: string; selected: boolean; color: string | undefined}) {
	return (
		<Text wrap="truncate" inverse={selected} bold={selected} {...(color ? {color} : {})}>
			{text}
		</Text>
	);
});

export function Table({columns, widths: all, rows, selected, height, width, theme, windowed = true}: TableProps) {
	const widths = fitWidths({columns, rows, widths: all}, width);
	const offset = useWindow(selected, height, rows.length);
	const start = windowed ? offset : 0;
	const end = windowed ? Math.min(rows.length, offset + height) : rows.length;
	const visible: React.ReactNode[] = [];
	for (let i = start; i < end; i++) {
		const r = rows[i]!;
		visible.push(<RowLine key={r.key} text={line(r.cells, widths, width, i === selected, r.lists)} selected={i === selected} color={theme.color(r.tone)} />);
	}
	return (
		<Box flexDirection="column" height={height + 1} overflowY="hidden">
			<Text bold wrap="truncate" {...(theme.color('title') ? {color: theme.color('title')!} : {})}>
				{line(columns, widths, width)}
			</Text>
			{windowed ? visible : <Box flexDirection="column" marginTop={-offset} flexShrink={0}>{visible}</Box>}
		</Box>
	);
}
