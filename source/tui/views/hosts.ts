import type {Data} from '../data.js';
import {natural, table, type Table} from './table.js';

/** This host first, then the others in natural order (h2 before h10); many hosts page like any table. */
export function hostsTable(d: Data): Table {
	const hosts = [...(d.hosts ?? [])].sort((a, b) => Number(b.ref.local) - Number(a.ref.local) || natural(a.ref.name, b.ref.name));
	return table(
		['', 'HOST', 'API', 'STATE', 'CONTROLLER', 'BGP', 'NETS', 'APPS', 'ROUTES', 'REMOTE'],
		hosts.map(h => {
			const s = h.snap;
			// the API column already names the host and its address: the state says only why
			const why = (h.error ?? 'unreachable').replace(`host ${h.ref.name} `, '').replace(` (${h.ref.url}: `, ' (');
			const state = h.pending ? '…' : s ? (h.ref.local ? 'this host' : 'reachable') : why;
			const count = (n: number | undefined) => (s && n !== undefined ? String(n) : '-');
			return {
				key: h.ref.name,
				ref: {kind: 'host', host: h.ref.name},
				cells: [h.current ? '*' : ' ', h.ref.name, h.ref.local ? '(in process)' : h.ref.url!, state, s?.controller ?? '-', h.gobgp === undefined || h.gobgp === null ? '-' : h.gobgp ? 'up' : 'down', count(s?.networks.length), count(s?.apps.length), count(s?.routes.length), count(s?.overlay?.remoteRoutes)],
				...(!s && !h.pending ? {tone: 'bad' as const} : h.current ? {tone: 'accent' as const} : {}),
			};
		}),
	);
}
