import {existsSync} from 'node:fs';
import {applyPlan} from '../dataplane/apply.js';
import {desiredState} from '../dataplane/desired.js';
import type {AppNsState} from '../dataplane/kernel.js';
import {pool} from '../dataplane/pool.js';
import {planChanges, type Plan} from '../dataplane/plan.js';
import {readAppNamespace, readKernel} from '../dataplane/read.js';
import {withApplyLock} from '../store/lock.js';
import type {Context} from './context.js';
import {checkOwnership, storeStamp} from './ownership.js';

export type ConvergeOptions = {
	/** endpoints (app names, or '(gateway)') whose inside is rewritten */
	readonly touched?: Iterable<string>;
	/** also read every namespace's inside and repair drift (reconcile) */
	readonly full?: boolean;
	readonly dryRun?: boolean;
};

export function processAlive(pid: number): boolean {
	return existsSync(`/proc/${pid}/ns/net`);
}

/**
 * Makes the kernel match intent: reads intent and the kernel under the host's apply lock, plans the difference and
 * applies only that. Every operation ends here, so the CLI, init scripts and the console converge the same way, and
 * running it again after any crash finishes the job.
 */
export async function converge(ctx: Context, opts: ConvergeOptions = {}): Promise<Plan> {
	const run = async () => {
		const intent = ctx.store.load();
		const desired = desiredState(intent, ctx.control.routes(intent), ctx.names, storeStamp(ctx));
		const kernel = await readKernel(ctx.names.vrouter, {overlay: desired.vxlans.size > 0});
		await checkOwnership(ctx, intent, kernel);
		let inside: Map<string, AppNsState | undefined> | undefined;
		if (opts.full) {
			inside = new Map();
			const present = desired.endpoints.filter(e => kernel.namespaces.has(e.namespace) && (e.pid === undefined || processAlive(e.pid)));
			await pool(present, 4, async e => void inside!.set(e.namespace, await readAppNamespace(e.namespace)));
		}
		const plan = planChanges(desired, kernel, {names: ctx.names, owned: intent.owned, touched: new Set(opts.touched ?? []), ...(inside ? {inside} : {}), alive: processAlive});
		if (!opts.dryRun) {
			await applyPlan(plan);
			if (plan.released.length > 0) ctx.store.tx(() => plan.released.forEach(name => ctx.store.disown(name)));
		}
		return plan;
	};
	return opts.dryRun ? run() : withApplyLock(ctx.dir, run);
}
