import {formatPrefix, parseIpv4, parsePrefix, prefixContains} from './ipv4.js';
import type {RoutingModel, Speaker, VrfRoute} from './model.js';
import {indexModel, resolveVrf} from './resolver.js';
import type {RouteTarget} from './rt.js';

export type Explanation = {
	readonly network: string;
	readonly prefix: string;
	readonly held: boolean;
	/** the route traffic to the prefix would use in this VRF (longest match), if any */
	readonly via?: VrfRoute;
	readonly lines: readonly string[];
};

const list = (rts: Iterable<RouteTarget>) => [...rts].join(', ') || 'none';
const speaker = (by: Speaker | undefined, host: string | undefined) => (by ? `${by.kind} ${by.name}` : host ? `host ${host}` : 'another host');
const vniText = (o: {label: number; vni?: number; unusable?: string}) => (o.unusable ? `label ${o.label}, no VNI` : o.vni !== undefined && o.vni !== o.label ? `label ${o.label} = VNI ${o.vni}` : `VNI ${o.label}`);

/** Why a VRF holds a route, or why not and which target would bring it in. */
export function explainRoute(model: RoutingModel, network: string, rawPrefix: string): Explanation {
	const prefix = formatPrefix(rawPrefix.includes('/') ? parsePrefix(rawPrefix) : {address: parseIpv4(rawPrefix), length: 32});
	const index = indexModel(model);
	const imports = index.imports.get(network) ?? new Set<RouteTarget>();
	const routes = resolveVrf(index, network);
	const lines: string[] = [];
	const exact = routes.find(r => r.prefix === prefix);
	const target = parsePrefix(prefix);
	const via = routes
		.filter(r => {
			const p = parsePrefix(r.prefix);
			return p.length <= target.length && prefixContains(p, target.address);
		})
		.sort((a, b) => parsePrefix(b.prefix).length - parsePrefix(a.prefix).length)[0];

	if (exact) {
		const o = exact.origin;
		if (o.kind === 'local') lines.push(`${prefix} is local to ${network}: ${o.role === 'in' ? 'inbound' : 'outbound'} interface of app ${o.app}`);
		else if (o.kind === 'imported') lines.push(`${prefix} (app ${o.app} in ${o.from}) is imported: ${o.from} exports ${list(o.targets)}, which ${network} imports`);
		else if (o.kind === 'remote') {
			const route = (model.remotes ?? []).find(r => r.rd === o.rd && r.prefix === prefix);
			lines.push(`${prefix} comes from ${speaker(o.by, o.host)} (RD ${o.rd}, next hop ${o.nexthop}, ${vniText(o)}), announced with ${list(route?.targets ?? o.targets)}, imported by ${list(o.targets)}`);
			if (o.unusable) lines.push(`not installed: ${o.unusable}; traffic to it follows the next best route of ${network}`);
		}
		else lines.push(`${prefix} is an external route via ${o.via}, imported by ${list(o.targets)}`);
	} else {
		const local = model.locals.find(l => l.prefix === prefix);
		const external = model.externals.find(e => e.prefix === prefix);
		const remote = (model.remotes ?? []).find(r => r.prefix === prefix);
		if (local) {
			const exports = index.exports.get(local.network) ?? new Set();
			lines.push(`${prefix} (app ${local.app}) lives in ${local.network}, which exports ${list(exports)}`);
			lines.push(`${network} imports ${list(imports)}: no target in common, so ${network} does not hold it`);
			const pick = [...exports].find(rt => !rt.endsWith(':0')) ?? [...exports][0];
			if (pick) lines.push(`to bring it in: nsdeck rt add ${network} ${pick} --import-only`);
			else lines.push(`${local.network} exports nothing: give it a target first (nsdeck rt add ${local.network} RT --export-only)`);
		} else if (external) {
			lines.push(`${prefix} is an external route via ${external.via} carrying ${list(external.targets)}`);
			lines.push(`${network} imports ${list(imports)}: no target in common, so ${network} does not hold it`);
			lines.push(`to bring it in: nsdeck rt add ${network} ${external.targets[0]} --import-only`);
		} else if (remote) {
			lines.push(`${prefix} comes from ${speaker(remote.by, remote.host)} (RD ${remote.rd}, next hop ${remote.nexthop}) carrying ${list(remote.targets)}`);
			lines.push(`${network} imports ${list(imports)}: no target in common, so ${network} does not hold it`);
			if (remote.targets[0]) lines.push(`to bring it in: nsdeck rt add ${network} ${remote.targets[0]} --import-only`);
		} else {
			lines.push(`no network, external route or other host originates ${prefix}`);
		}
		if (via) lines.push(`traffic to ${prefix} in ${network} would follow ${via.prefix} (${via.origin.kind}${via.origin.kind === 'external' ? ` via ${via.origin.via}` : via.origin.kind === 'remote' ? ` via ${via.origin.nexthop}` : ''})`);
		else lines.push(`traffic to ${prefix} in ${network} hits the table's unreachable default and is dropped`);
	}
	return {network, prefix, held: Boolean(exact), ...(via ? {via} : {}), lines};
}
