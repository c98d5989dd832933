import {statSync} from 'node:fs';
import {OperationError} from '../core/errors.js';
import {applyPlan, faultPoint} from '../dataplane/apply.js';
import {desiredState, type Desired} from '../dataplane/desired.js';
import type {Resolution} from '../core/model.js';
import type {Intent} from '../store/intent.js';
import {planChanges, type Plan, type Start} from '../dataplane/plan.js';
import {withApplyLock} from '../store/lock.js';
import type {Context} from './context.js';
import {observe, processAlive, type Observation} from './observe.js';
import {checkOwnership, storeStamp} from './ownership.js';
import {isRunning, netnsOf, startInNamespace, stopProcesses} from './process.js';

export {processAlive};

export type ConvergeOptions = {
	/** endpoints (app names, or '(gateway)') whose inside is compared with intent */
	readonly touched?: Iterable<string>;
	/** also read every namespace's inside and repair drift (reconcile, status) */
	readonly full?: boolean;
	readonly dryRun?: boolean;
};

export type Survey = {readonly intent: Intent; readonly desired: Desired; readonly resolution: Resolution; readonly seen: Observation; readonly plan: Plan};

/** The kernel state intent asks for, and the routes it resolved to: pure once intent (and the store's stamp) is read. */
export function desiredNow(ctx: Context, intent: Intent, stamp = storeStamp(ctx)): {desired: Desired; resolution: Resolution} {
	const resolution = ctx.control.routes(intent);
	return {resolution, desired: desiredState(intent, resolution, ctx.names, stamp)};
}

/** Intent, one read of the kernel, and the plan that would make the kernel match: nothing changes. */
export async function survey(ctx: Context, opts: ConvergeOptions = {}): Promise<Survey> {
	const intent = ctx.store.load();
	const {desired, resolution} = desiredNow(ctx, intent);
	const touched = new Set(opts.touched ?? []);
	const seen = await observe(desired, intent.owned, {full: opts.full ?? false, touched, overlay: desired.vxlans.size > 0});
	const plan = planChanges(desired, seen.kernel, {
		names: ctx.names,
		owned: intent.owned,
		touched,
		inside: seen.inside,
		...(seen.vrouterInside ? {vrouterInside: seen.vrouterInside} : {}),
		full: opts.full ?? false,
		alive: processAlive,
	});
	return {intent, desired, resolution, seen, plan};
}

/** The plan that would make the kernel match intent now; refused when this store may not change this kernel. */
export async function planNow(ctx: Context, opts: ConvergeOptions = {}): Promise<Plan> {
	const s = await survey(ctx, opts);
	await checkOwnership(ctx, s.intent, s.seen.kernel);
	return s.plan;
}

/**
 * Makes the kernel match intent: reads intent and the kernel under the host's apply lock, plans the difference and
 * applies only that, then starts the commands the plan names. Every operation ends here, so the CLI, init scripts
 * and the console converge the same way, and running it again after any crash finishes the job.
 */
export async function converge(ctx: Context, opts: ConvergeOptions = {}): Promise<Plan> {
	if (opts.dryRun) return planNow(ctx, opts);
	return withApplyLock(ctx.dir, async () => (await convergeHeld(ctx, opts)).plan);
}

/** converge, for a caller that holds the apply lock already (the agent's remote routes); the survey it applied. */
export async function convergeHeld(ctx: Context, opts: Omit<ConvergeOptions, 'dryRun'> = {}): Promise<Survey> {
	const s = await survey(ctx, opts);
	await checkOwnership(ctx, s.intent, s.seen.kernel);
	const plan = s.plan;
	await stopDoomed(plan, s.seen);
	await applyPlan(plan);
	if (plan.released.length > 0) ctx.store.tx(() => plan.released.forEach(name => ctx.store.disown(name)));
	await startAll(ctx, plan.starts);
	return s;
}

/** Nothing keeps running in a namespace nsdeck removes: its processes (read with the plan) are stopped first. */
async function stopDoomed(plan: Plan, seen: Observation): Promise<void> {
	const doomed = plan.rootPost.filter(l => l.startsWith('netns del ')).map(l => l.slice('netns del '.length));
	await stopProcesses(doomed.flatMap(ns => seen.inside.get(ns)?.pids ?? []));
}

/** Starts each command in its namespace and records it; a daemon left in a namespace that was replaced is stopped. */
async function startAll(ctx: Context, starts: readonly Start[]): Promise<void> {
	const failures: string[] = [];
	for (const s of starts) {
		const app = ctx.store.load().apps.find(a => a.name === s.app);
		if (!app) continue;
		try {
			if (app.pid !== undefined && isRunning(app.pid, app.pidStart) && netnsOf(app.pid) !== nsInode(s.namespace)) await stopProcesses([app.pid]);
			const started = await startInNamespace(ctx.dir, s.app, s.namespace, s.command);
			faultPoint('started');
			ctx.store.tx(() => ctx.store.setProcess(s.app, started.pid, started.start));
		} catch (e) {
			failures.push((e as Error).message);
		}
	}
	if (failures.length > 0) throw new OperationError(failures.join('; '));
}

function nsInode(namespace: string): number | undefined {
	try {
		return statSync(`/run/netns/${namespace}`).ino;
	} catch {
		return undefined;
	}
}
