import type {Data} from '../data.js';
import {table, type Table} from './table.js';

export function logTable(d: Data): Table {
	return table(
		['ID', 'TIME', 'USER', 'OP', 'ARGS', 'RESULT', 'DETAIL'],
		d.log.map(e => ({
			key: String(e.id),
			ref: {kind: 'log', id: e.id},
			cells: [String(e.id), e.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z'), e.user, e.op, e.args, e.result, e.detail ?? ''],
			...(e.result === 'error' ? {tone: 'bad' as const} : e.result === 'pending' ? {tone: 'warn' as const} : {}),
		})),
	);
}
