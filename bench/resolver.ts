// Resolver speed: 1000 networks x 10 apps with random targets; full resolution and the diff of one target edit.
// Run: npx tsx bench/resolver.ts
import {diffModels} from '../source/core/diff.js';
import {formatIpv4} from '../source/core/ipv4.js';
import type {NetworkRouting, RoutingModel, TargetEntry} from '../source/core/model.js';
import {resolve} from '../source/core/resolver.js';
import {autoRouteTarget, parseRouteTarget} from '../source/core/rt.js';
import {median, ms, time} from './stats.js';

let seed = 42;
const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);

export function bigModel(networks = 1000, apps = 10): RoutingModel {
	const nets: NetworkRouting[] = [];
	const locals = [];
	for (let i = 0; i < networks; i++) {
		const targets: TargetEntry[] = [{rt: autoRouteTarget(i + 1), auto: true, import: true, export: true}];
		// a few shared targets per network, some import-only, drawn from a pool of 300
		for (let k = 0; k < 3; k++) {
			const rt = parseRouteTarget(`64512:${100 + rand(300)}`);
			if (targets.some(t => t.rt === rt)) continue;
			targets.push(rand(2) ? {rt, auto: false, import: true, export: true} : {rt, auto: false, import: true, export: false});
		}
		nets.push({name: `vn${i}`, targets});
		for (let a = 0; a < apps; a++) {
			locals.push({prefix: `${formatIpv4(((10 << 24) >>> 0) + i * 256 + a + 2)}/32`, network: `vn${i}`, app: `app${i}-${a}`, role: 'in' as const});
		}
	}
	return {networks: nets, locals, externals: [{prefix: '0.0.0.0/0', via: '192.0.2.1', targets: [parseRouteTarget('64512:100')]}]};
}

export async function benchResolver() {
	const model = bigModel();
	const full: number[] = [];
	let routes = 0;
	for (let i = 0; i < 9; i++) full.push(await time(() => (routes = [...resolve(model).values()].reduce((c, r) => c + r.length, 0))));
	const edit: number[] = [];
	let changed = 0;
	for (let i = 0; i < 9; i++) {
		const target = `vn${i * 97}`;
		const after: RoutingModel = {
			...model,
			networks: model.networks.map(n => (n.name === target ? {...n, targets: [...n.targets, {rt: parseRouteTarget(`64512:${100 + i}`), auto: false, import: true, export: false} as TargetEntry]} : n)),
		};
		edit.push(await time(() => (changed = diffModels(model, after).vrfs.length)));
	}
	return {routes, fullMedian: median(full), editMedian: median(edit), changed};
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const r = await benchResolver();
	console.log(`resolver, 1000 networks x 10 apps (${r.routes} VRF routes): full resolution median ${ms(r.fullMedian)} (target <= 100 ms)`);
	console.log(`resolver, diff of one import-only target edit: median ${ms(r.editMedian)} (target <= 10 ms)`);
}
