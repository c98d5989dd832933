// Previews of creating and deleting a network, for the console's "see before you apply": the create runs its own
// checks and inserts inside a transaction that is rolled back, so the preview names exactly the table, VNI and
// automatic target the create would get, and refuses exactly what the create would refuse. Nothing is written.
import {diffModels, type RoutingDiff} from '../core/diff.js';
import {fail} from '../core/errors.js';
import type {TargetEntry} from '../core/model.js';
import {routingModel} from '../control/local.js';
import {tableOf} from '../dataplane/desired.js';
import type {Context} from './context.js';
import {checkCreate, insertChecked, networkIdOrFail, type CreateNetwork} from './networks.js';

export type NetworkPreview = RoutingDiff & {
	readonly name: string;
	readonly subnet: string | null;
	readonly table: string;
	readonly vni: number;
	readonly block: string | null;
	readonly targets: readonly TargetEntry[];
};

const ROLLBACK = Symbol('rollback');

export function previewCreateNetwork(ctx: Context, req: CreateNetwork): NetworkPreview {
	const checked = checkCreate(req);
	const before = ctx.store.load();
	let preview: NetworkPreview | undefined;
	try {
		ctx.store.tx(() => {
			const id = insertChecked(ctx, checked);
			const after = ctx.store.load();
			const n = after.networks.find(x => x.id === id)!;
			preview = {name: n.name, subnet: n.subnet, table: tableOf(id), vni: n.vni, block: n.block, targets: n.targets, ...diffModels(routingModel(before), routingModel(after))};
			throw ROLLBACK;
		});
	} catch (e) {
		if (e !== ROLLBACK) throw e;
	}
	return preview!;
}

/** What deleting a network would remove; refused, as the delete is, while apps use it. */
export function previewDeleteNetwork(ctx: Context, name: string): NetworkPreview {
	const id = networkIdOrFail(ctx, name);
	const intent = ctx.store.load();
	const n = intent.networks.find(x => x.id === id)!;
	const users = intent.apps.filter(a => a.ifaces.some(i => i.network === name)).map(a => a.name);
	if (users.length > 0) fail(`network '${name}' is used by ${users.join(', ')}; unbind ${users.length === 1 ? 'it' : 'them'} first`);
	const after = {...intent, networks: intent.networks.filter(x => x.id !== id)};
	return {name, subnet: n.subnet, table: tableOf(id), vni: n.vni, block: n.block, targets: n.targets, ...diffModels(routingModel(intent), routingModel(after))};
}
