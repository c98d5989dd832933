// The inside of one endpoint (an app's namespace, or the gateway's): what to write so it matches intent, as precise
// lines rather than a flush-and-rewrite, so an address or route someone else put there (foreign) is never removed
// and a healthy namespace is never touched.
import {parsePrefix, prefixContains, parseIpv4} from '../core/ipv4.js';
import {change, type Change, type Foreign} from './change.js';
import type {Endpoint, InnerRoute} from './desired.js';
import {type InsideState, MAIN_TABLE, PROTO_KERNEL} from './inside.js';
import {TAG} from './kernel.js';

export type InsidePlan = {
	readonly lines: string[];
	/** `netns exec NS sysctl ...` lines, run from the root namespace after the batches */
	readonly sysctls: string[];
	readonly changes: Change[];
	readonly foreign: Foreign[];
};

const RP_LOOSE = 2;

function routeLine(r: InnerRoute): string {
	return `route replace ${r.dst} via ${r.via} dev ${r.dev} onlink proto ${TAG}`;
}

function routeText(r: {dst: string; via?: string; dev?: string}): string {
	return `${r.dst}${r.via ? ` via ${r.via}` : ''}${r.dev ? ` dev ${r.dev}` : ''}`;
}

/** Everything an endpoint needs, for a namespace just made (nothing to compare with). */
export function freshInside(e: Endpoint): InsidePlan {
	const lines = ['link set dev lo up', ...e.loAddresses.map(a => `addr replace ${a} dev lo`)];
	for (const i of e.ifaces) {
		for (const a of i.addresses) lines.push(`addr replace ${a} dev ${i.inner}`);
		lines.push(`link set dev ${i.inner} up`);
	}
	lines.push(...e.routes.map(routeLine));
	const sysctls = e.loose.map(dev => `netns exec ${e.namespace} sysctl -qw net.ipv4.conf.${dev}.rp_filter=${RP_LOOSE}`);
	const changes = [change({op: '+', what: 'app', object: e.key, expected: e.ifaces.map(i => `${i.inner} ${i.addresses.join(' ')}`).join(', '), seen: '', ...(e.whole ? {} : {app: e.key}), detail: `${e.key}: ${e.ifaces.map(i => `${i.inner} ${i.addresses.join(' ')}`).join(', ')}`})];
	return {lines, sysctls, changes, foreign: []};
}

/** The difference between an endpoint's inside and intent, from a read of it. */
export function diffInside(e: Endpoint, s: InsideState): InsidePlan {
	const plan: InsidePlan = {lines: [], sysctls: [], changes: [], foreign: []};
	const app = e.whole ? {} : {app: e.key};
	const drift = (op: Change['op'], what: string, object: string, expected: string, seen: string, detail: string, line?: string) => {
		plan.changes.push(change({op, what, object: `${e.namespace}/${object}`, expected, seen, detail: `${e.key}: ${detail}`, ...app}));
		if (line) plan.lines.push(line);
	};
	const foreign = (kind: Foreign['kind'], object: string, detail: string) => plan.foreign.push({kind, namespace: e.namespace, object, detail, ...app});

	const lo = s.links.get('lo');
	if (!lo?.up) drift('~', 'link', 'lo', 'up', 'down', 'lo down', 'link set dev lo up');
	const loHave = (lo?.addresses ?? []).filter(a => !a.startsWith('127.'));
	for (const a of e.loAddresses) if (!loHave.includes(a)) drift('+', 'address', 'lo', a, '', `lo lacks ${a}`, `addr replace ${a} dev lo`);
	for (const a of loHave) {
		if (e.loAddresses.includes(a)) continue;
		if (e.whole) drift('-', 'address', 'lo', '', a, `lo has ${a}`, `addr del ${a} dev lo`);
		else foreign('address', `lo ${a}`, `address ${a} on lo`);
	}

	for (const i of e.ifaces) {
		const link = s.links.get(i.inner)!; // a missing inner interface makes the endpoint fresh (plan.ts)
		if (!link.up) drift('~', 'link', i.inner, 'up', 'down', `${i.inner} down`, `link set dev ${i.inner} up`);
		for (const a of i.addresses) if (!link.addresses.includes(a)) drift('+', 'address', i.inner, a, link.addresses.join(' '), `${i.inner} lacks ${a}`, `addr replace ${a} dev ${i.inner}`);
		const subnet = i.subnet ? parsePrefix(i.subnet) : undefined;
		for (const a of link.addresses) {
			if (i.addresses.includes(a)) continue;
			const ours = e.whole || (subnet !== undefined && prefixContains(subnet, parseIpv4(a.split('/')[0]!)));
			if (ours) drift('-', 'address', i.inner, '', a, `${i.inner} has ${a}, not its lease`, `addr del ${a} dev ${i.inner}`);
			else foreign('address', `${i.inner} ${a}`, `address ${a} on ${i.inner}`);
		}
	}
	for (const dev of e.loose) {
		const rp = s.rpFilter.get(dev);
		if (rp !== RP_LOOSE) {
			drift('~', 'sysctl', `${dev} rp_filter`, String(RP_LOOSE), String(rp ?? '?'), `${dev} rp_filter ${rp ?? '?'} (wants ${RP_LOOSE}, loose)`);
			plan.sysctls.push(`netns exec ${e.namespace} sysctl -qw net.ipv4.conf.${dev}.rp_filter=${RP_LOOSE}`);
		}
	}
	const wanted = new Map(e.routes.map(r => [r.dst, r]));
	for (const r of s.routes) {
		if (r.table !== MAIN_TABLE) {
			foreign('route', `${routeText(r)} table ${r.table}`, `route ${routeText(r)} in table ${r.table}`);
			continue;
		}
		if (r.proto === PROTO_KERNEL || (r.metric ?? 0) !== 0 || wanted.has(r.dst)) continue;
		if (r.proto === TAG || e.whole) drift('-', 'route', r.dst, '', routeText(r), `route ${routeText(r)} not wanted`, `route del ${r.dst}${r.via ? ` via ${r.via}` : ''}${r.dev ? ` dev ${r.dev}` : ''}`);
		else foreign('route', routeText(r), `route ${routeText(r)}`);
	}
	for (const w of e.routes) {
		const have = s.routes.find(r => r.table === MAIN_TABLE && r.dst === w.dst && (r.metric ?? 0) === 0 && r.proto !== PROTO_KERNEL);
		if (have && have.via === w.via && have.dev === w.dev && have.onlink && have.proto === TAG) continue;
		const name = w.dst === '0.0.0.0/0' ? 'default route' : `route ${w.dst}`;
		drift(have ? '~' : '+', 'route', w.dst, routeText(w), have ? routeText(have) : '', have ? `${name} ${routeText(have)}${have.proto === TAG ? '' : ` (proto ${have.proto})`}, wants ${routeText(w)}` : `${name} missing`, routeLine(w));
	}
	for (const [name, l] of s.links) {
		if (name === 'lo' || e.ifaces.some(i => i.inner === name)) continue;
		foreign('link', name, `interface ${name}${l.addresses.length ? ` (${l.addresses.join(' ')})` : ''}`);
	}
	return plan;
}
