import type {Context} from './context.js';
import {converge} from './converge.js';
import {requireRoot} from './operation.js';
import {checkOwnership} from './ownership.js';

/** Makes these apps' namespaces match intent (their inside read and compared), leaving the rest alone. */
export async function repairApps(ctx: Context, apps: readonly string[]) {
	requireRoot();
	const plan = await converge(ctx, {touched: apps});
	if (plan.changes.length > 0) ctx.store.tx(() => ctx.store.audit('repair', {apps, changes: plan.changes.length}, 'ok'));
	return plan;
}

/** Makes the kernel match intent after a reboot, a crash or a hand edit; --dry-run only says what it would do. */
export async function reconcile(ctx: Context, {dryRun = false} = {}) {
	if (!dryRun) {
		requireRoot();
		// before the lock: a mistyped NSDECK_STATE_DIR must not even leave a lock file behind
		await checkOwnership(ctx, ctx.store.load());
	}
	const plan = await converge(ctx, {full: true, dryRun});
	if (!dryRun && plan.changes.length > 0) ctx.store.tx(() => ctx.store.audit('reconcile', {changes: plan.changes.length}, 'ok'));
	return plan;
}
