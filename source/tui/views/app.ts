import type {Data} from '../data.js';
import {originFrom, originKind, originTargets, roleName} from '../../provision/text.js';
import {installedText} from './routes.js';
import {natural, table, type Table} from './table.js';

/** One app's drill-down: the routes of every VRF it sits in (what it can reach, and how). */
export function appTable(d: Data, app: string | undefined): Table {
	const a = d.snap.apps.find(x => x.name === app);
	const nets = new Map((a?.ifaces ?? []).map(i => [i.network, i.role]));
	return table(
		['VRF', 'ROLE', 'PREFIX', 'ORIGIN', 'FROM', 'TARGET', 'INSTALLED'],
		d.snap.routes
			.filter(r => nets.has(r.network))
			.sort((x, y) => natural(x.network, y.network) || natural(x.prefix, y.prefix))
			.map(r => ({
				key: `${r.network} ${r.prefix}`,
				ref: {kind: 'route', network: r.network, prefix: r.prefix},
				cells: [r.network, roleName(nets.get(r.network)!), r.prefix, originKind(r.origin), originFrom(r.origin), originTargets(r.origin), installedText(r.installed)],
				...(r.installed === false ? {tone: 'bad' as const} : {}),
			})),
	);
}
