// The vrouter's routes and rules as `ip` lines, in one place: a plan (plan.ts) writes them from intent and a kernel
// read, and the agent's direct path (delta.ts) from two desired states.
import type {DRoute} from './desired.js';
import {type KRoute, RULE_PREF, TAG} from './kernel.js';

export function routeLine(verb: 'replace' | 'del', r: DRoute | KRoute): string {
	const head = r.type === 'unreachable' ? `unreachable ${r.dst}` : r.dst;
	const via = r.via ? ` via ${r.via}` : '';
	const dev = r.type === 'unicast' && r.dev ? ` dev ${r.dev}` : '';
	const onlink = r.via && verb === 'replace' ? ' onlink' : '';
	const metric = r.metric ? ` metric ${r.metric}` : '';
	return `route ${verb} ${head}${via}${dev}${onlink} table ${r.table}${metric}${verb === 'replace' ? ` proto ${TAG}` : ''}`;
}

/** An interface's `ip rule iif`: added with nsdeck's preference and tag, deleted by what was read (or applied). */
export function ruleLine(verb: 'add' | 'del', iif: string, table: string, pref = RULE_PREF): string {
	return verb === 'add' ? `rule add iif ${iif} lookup ${table} pref ${pref} protocol ${TAG}` : `rule del pref ${pref} iif ${iif} table ${table}`;
}

/** The same route (the key, table dst metric, being equal): what a `route replace` would not change. */
export function sameRoute(d: DRoute, k: DRoute | KRoute): boolean {
	return d.type === k.type && (d.dev ?? '') === (k.dev ?? '') && (d.via ?? '') === (k.via ?? '');
}
