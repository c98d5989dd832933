import type {Data} from '../data.js';
import {originFrom, originKind, originTargets} from '../../provision/text.js';
import {foreignRoutes} from './trust.js';
import {natural, table, type Table, type ViewRow} from './table.js';

export function installedText(x: boolean | null): string {
	return x === null ? '?' : x ? 'yes' : 'NO';
}

/**
 * One VRF: the routes the resolver wants (installed or not), then what the kernel table holds besides: tagged routes
 * nobody wants (drift: reconcile removes them) and untagged ones (foreign: shown, never removed).
 */
export function routesTable(d: Data, network: string | undefined): Table {
	const net = d.snap.networks.find(n => n.name === network);
	const rows: ViewRow[] = d.snap.routes
		.filter(r => r.network === network)
		.sort((a, b) => natural(a.prefix, b.prefix))
		.map(r => ({
			key: r.prefix,
			ref: {kind: 'route', network: r.network, prefix: r.prefix},
			cells: [r.prefix, originKind(r.origin), originFrom(r.origin), originTargets(r.origin), installedText(r.installed)],
			...(r.installed === false ? {tone: 'bad' as const} : r.origin.kind === 'local' ? {} : {tone: 'dim' as const}),
		}));
	if (net) {
		for (const s of d.snap.stray.filter(x => x.table === net.table && x.type === 'unicast')) {
			rows.push({key: `stray ${s.dst}`, ref: {kind: 'route', network: net.name, prefix: s.dst}, cells: [s.dst, 'stray', `${s.via ? `via ${s.via} ` : ''}dev ${s.dev ?? '?'}`, '-', 'drift: not wanted'], tone: 'bad'});
		}
		for (const f of foreignRoutes(d.snap, net.name, net.table)) {
			const from = f.detail.replace(`${f.dst} `, '').replace(` in table ${net.table}`, '');
			rows.push({key: `foreign ${f.object}`, ref: {kind: 'route', network: net.name, prefix: f.dst}, cells: [f.dst, 'foreign', from, '-', 'yes (not nsdeck)'], tone: 'warn'});
		}
	}
	return table(['PREFIX', 'ORIGIN', 'FROM', 'TARGET', 'INSTALLED'], rows);
}
