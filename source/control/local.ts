import type {RoutingModel, Resolution} from '../core/model.js';
import {resolve} from '../core/resolver.js';
import type {Intent} from '../store/intent.js';

/** The routing view of intent: networks with their targets, every app interface as a /32, external routes. */
// Keyed by the apps list itself, so a preview that edits only targets shares one locals list with the current model
// and the diff can skip comparing apps.
const localsOf = new WeakMap<Intent['apps'], RoutingModel['locals']>();

export function routingModel(intent: Intent): RoutingModel {
	let locals = localsOf.get(intent.apps);
	if (!locals) {
		locals = intent.apps.flatMap(a => a.ifaces.map(i => ({prefix: `${i.address}/32`, network: i.network, app: a.name, role: i.role})));
		localsOf.set(intent.apps, locals);
	}
	return {networks: intent.networks.map(n => ({name: n.name, targets: n.targets, ...(n.subnet ? {subnet: n.subnet} : {})})), locals, externals: intent.externals, remotes: intent.remotes};
}

/** The `local` control plane: routes come from the resolver, in process, for this one host. */
export const localControl = {
	name: 'local',
	routes(intent: Intent): Resolution {
		return resolve(routingModel(intent));
	},
};

export type Control = typeof localControl;
