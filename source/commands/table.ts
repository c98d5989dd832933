/** Plain aligned columns, as `ip` and `kubectl` print them; widths over all rows. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
	const widths = headers.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)));
	const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
	return [line(headers), ...rows.map(line)].join('\n');
}
