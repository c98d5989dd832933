import type {Data} from '../data.js';
import {foreignOf} from './trust.js';
import {natural, table, type Table, type ViewRow} from './table.js';

/** Every interface of every namespace; addresses and routes nsdeck did not put there follow, marked foreign. */
export function ifacesTable(d: Data): Table {
	const list = [...(d.ifaces ?? [])].sort((a, b) => natural(a.namespace, b.namespace) || natural(a.name, b.name));
	const foreign = foreignOf(d.snap);
	const rows: ViewRow[] = list.map(i => {
		const extra = foreign.filter(f => f.namespace === i.namespace && f.kind === 'address' && f.object.split(' ')[0] === i.name);
		return {
			key: `${i.namespace}/${i.name}`,
			ref: {kind: 'iface', namespace: i.namespace, name: i.name, ...(i.app ? {app: i.app} : {})},
			cells: [i.namespace, i.app ?? (i.namespace.endsWith('nsdeck-gw') ? '(gateway)' : '(vrouter)'), i.name, i.state, i.addresses.join(', ') || '-', i.peer || '-', i.rpFilter || '-', extra.length ? `foreign ${extra.map(f => f.object.split(' ').slice(1).join(' ')).join(', ')}` : ''],
			...(extra.length ? {tone: 'warn' as const} : i.state === 'DOWN' && i.name !== 'lo' ? {tone: 'bad' as const} : {}),
		};
	});
	for (const f of foreign.filter(x => x.kind !== 'address' || !list.some(i => i.namespace === x.namespace && x.object.split(' ')[0] === i.name))) {
		rows.push({key: `foreign ${f.namespace} ${f.kind} ${f.object}`, ref: {kind: 'iface', namespace: f.namespace, name: f.object}, cells: [f.namespace, '', f.kind, 'foreign', f.object, '-', '-', f.detail], tone: 'warn'});
	}
	return table(['NAMESPACE', 'APP', 'IFACE', 'STATE', 'ADDRESSES', 'PEER', 'RP_FILTER', 'NOTE'], rows);
}
