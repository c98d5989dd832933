import type {RoutingModel, Resolution} from '../core/model.js';
import {translateRemote} from '../core/overlay.js';
import {resolve} from '../core/resolver.js';
import type {Intent} from '../store/intent.js';

/** The routing view of intent: networks with their targets, every app interface as a /32, external routes. */
// Keyed by the apps list itself, so a preview that edits only targets shares one locals list with the current model
// and the diff can skip comparing apps.
const localsOf = new WeakMap<Intent['apps'], RoutingModel['locals']>();
const remotesOf = new WeakMap<Intent['remotes'], {host: Intent['host']; remotes: NonNullable<RoutingModel['remotes']>}>();

export function routingModel(intent: Intent): RoutingModel {
	let locals = localsOf.get(intent.apps);
	if (!locals) {
		locals = intent.apps.flatMap(a => a.ifaces.map(i => ({prefix: `${i.address}/32`, network: i.network, app: a.name, role: i.role})));
		localsOf.set(intent.apps, locals);
	}
	// each remote route named by who announced it, with the VNI its label stands for (or why there is none); shared
	// like the locals, so a preview's diff can still tell the remotes did not change by identity
	let cached = remotesOf.get(intent.remotes);
	if (!cached || cached.host !== intent.host) {
		cached = {host: intent.host, remotes: intent.remotes.map(r => ({...r, ...translateRemote(r, intent.host)}))};
		remotesOf.set(intent.remotes, cached);
	}
	const remotes = cached.remotes;
	return {networks: intent.networks.map(n => ({name: n.name, targets: n.targets, ...(n.subnet ? {subnet: n.subnet} : {})})), locals, externals: intent.externals, remotes};
}

/** The `local` control plane: routes come from the resolver, in process, for this one host. */
export const localControl = {
	name: 'local',
	routes(intent: Intent): Resolution {
		return resolve(routingModel(intent));
	},
};

export type Control = typeof localControl;
