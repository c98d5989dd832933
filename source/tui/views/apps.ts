import type {Data} from '../data.js';
import {byName, table, type Table} from './table.js';

export function appsTable(d: Data): Table {
	return table(
		['APP', 'NAMESPACE', 'INBOUND', 'IN-ADDR', 'OUTBOUND', 'OUT-ADDR', 'DEFAULT-VIA', 'PROCESS', 'DRIFT'],
		byName(d.snap.apps, a => a.name).map(a => {
			const inn = a.ifaces.find(i => i.role === 'in');
			const out = a.ifaces.find(i => i.role === 'out');
			const proc = a.process ? `${a.process.pid} ${a.process.running ? 'running' : 'gone'}` : '-';
			const drift = a.drift.length === 0 ? 'ok' : `! ${a.drift[0]}${a.drift.length > 1 ? ` (+${a.drift.length - 1})` : ''}`;
			return {
				key: a.name,
				ref: {kind: 'app', app: a.name},
				cells: [a.name, a.namespace, inn?.network ?? '-', inn?.address ?? '-', out?.network ?? '-', out?.address ?? '-', a.defaultVia, proc, drift],
				...(a.drift.length > 0 ? {tone: 'bad' as const} : a.process && !a.process.running ? {tone: 'warn' as const} : {}),
			};
		}),
	);
}
