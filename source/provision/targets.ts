import {fail} from '../core/errors.js';
import {diffModels, type RoutingDiff} from '../core/diff.js';
import {type Direction, type Membership, membership} from '../core/model.js';
import {parseRouteTarget, type RouteTarget} from '../core/rt.js';
import {routingModel} from '../control/local.js';
import type {Intent} from '../store/intent.js';
import type {Context} from './context.js';
import {networkIdOrFail} from './networks.js';
import {operate} from './operation.js';

export type TargetEdit = {network: string; rt: string; direction: Direction; remove: boolean};

/** The membership a target ends up with: adding a direction joins it to what is there; removing takes it away. */
function edited(current: Membership | undefined, direction: Direction, remove: boolean): Membership | undefined {
	const want = membership(direction);
	if (!remove) return current ? {import: current.import || want.import, export: current.export || want.export} as Membership : want;
	if (!current) return undefined;
	const left = {import: current.import && !want.import, export: current.export && !want.export};
	return left.import || left.export ? (left as Membership) : undefined;
}

function applyEdit(intent: Intent, network: string, rt: RouteTarget, next: Membership | undefined): Intent {
	return {
		...intent,
		networks: intent.networks.map(n => {
			if (n.name !== network) return n;
			const others = n.targets.filter(t => t.rt !== rt);
			const auto = n.targets.find(t => t.rt === rt)?.auto ?? false;
			return {...n, targets: next ? [...others, {rt, auto, ...next}] : others};
		}),
	};
}

function validate(ctx: Context, edit: TargetEdit) {
	const id = networkIdOrFail(ctx, edit.network);
	const rt = parseRouteTarget(edit.rt);
	const intent = ctx.store.load();
	const current = intent.networks.find(n => n.name === edit.network)!.targets.find(t => t.rt === rt);
	if (edit.remove && (!current || (edit.direction === 'import' && !current.import) || (edit.direction === 'export' && !current.export))) {
		fail(`network '${edit.network}' has no ${edit.direction === 'both' ? '' : `${edit.direction} `}target ${rt}`);
	}
	const next = edited(current, edit.direction, edit.remove);
	return {id, rt, intent, current, next};
}

/** What a target edit would do, from the resolver, before anything changes. */
export function previewTargetEdit(ctx: Context, edit: TargetEdit): RoutingDiff & {rt: RouteTarget} {
	const {rt, intent, next} = validate(ctx, edit);
	return {rt, ...diffModels(routingModel(intent), routingModel(applyEdit(intent, edit.network, rt, next)))};
}

export async function editTarget(ctx: Context, edit: TargetEdit) {
	const first = validate(ctx, edit);
	const preview = diffModels(routingModel(first.intent), routingModel(applyEdit(first.intent, edit.network, first.rt, first.next)));
	const outcome = await operate(ctx, edit.remove ? 'rt del' : 'rt add', {...edit, rt: first.rt}, () => {
		// re-validated inside the transaction: another writer may have changed the network meanwhile
		const {id, rt, current, next} = validate(ctx, edit);
		if (next) ctx.store.setTarget(id, rt, next, current?.auto ?? false);
		else ctx.store.deleteTarget(id, rt);
		return {id, rt, current};
	}, {undo: ({id, rt, current}) => (current ? ctx.store.setTarget(id, rt, current, current.auto) : ctx.store.deleteTarget(id, rt))});
	return {...outcome, diff: preview};
}
