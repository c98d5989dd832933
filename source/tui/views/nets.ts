import type {Data} from '../data.js';
import {byName, listCell, natural, shortRt, table, type Table} from './table.js';

/** A network's import or export targets, short, import-only `(i)` and export-only `(e)` said; never cut silently. */
export function targetList(targets: Data['snap']['networks'][number]['targets'], side: 'import' | 'export'): string[] {
	return targets
		.filter(t => t[side])
		.map(t => shortRt(t.rt) + (side === 'import' ? (t.export ? '' : '(i)') : t.import ? '' : '(e)'))
		.sort(natural);
}

export function netsTable(d: Data): Table {
	return table(
		['NETWORK', 'SUBNET', 'TABLE', 'USED', 'FREE', 'IMPORT', 'EXPORT', 'APPS'],
		byName(d.snap.networks, n => n.name).map(n => {
			const lists = [targetList(n.targets, 'import'), targetList(n.targets, 'export'), [...n.apps].sort(natural)];
			return {
				key: n.name,
				ref: {kind: 'network', network: n.name},
				cells: [n.name, n.subnet ?? '-', n.table, String(n.used), String(n.free), ...lists.map(l => listCell(l))],
				lists: [undefined, undefined, undefined, undefined, undefined, ...lists],
			};
		}),
	);
}
