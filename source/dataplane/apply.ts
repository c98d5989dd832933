import {symlinkSync, unlinkSync} from 'node:fs';
import {ipBatch} from './ip.js';
import {pool} from './pool.js';
import type {Plan} from './plan.js';

/** Test hook: NSDECK_FAULT=<step> kills the process with SIGKILL right after that step, to prove reconcile repairs. */
export function faultPoint(step: string): void {
	if (process.env.NSDECK_FAULT === step) process.kill(process.pid, 'SIGKILL');
}

/** The vrouter's part of a plan (or of the agent's direct path, delta.ts). */
export type VrouterBatches = Pick<Plan, 'vrouter' | 'vrouterDel' | 'underlay' | 'bridge' | 'vrouterAdd'>;

/**
 * Deletions, then VXLAN devices (they exist in the vrouter once the underlay batch has made them), their forwarding
 * entries before the routes that use them, then additions. Deletions with -force (a link may be gone with its
 * namespace) run alone; without it, deletions and additions with nothing between them share one `ip` process.
 * Returns how many lines ran.
 */
export async function applyVrouter(b: VrouterBatches, {force = false} = {}): Promise<number> {
	const one = !force && b.underlay.length === 0 && b.bridge.length === 0;
	await ipBatch(b.vrouter, one ? [...b.vrouterDel, ...b.vrouterAdd] : b.vrouterDel, {force});
	for (const u of b.underlay) await ipBatch(u.namespace, u.lines);
	await ipBatch(b.vrouter, b.bridge, {program: 'bridge'});
	if (!one) await ipBatch(b.vrouter, b.vrouterAdd);
	return [b.vrouterDel, ...b.underlay.map(u => u.lines), b.bridge, b.vrouterAdd].reduce((n, lines) => n + lines.length, 0);
}

/** Runs a plan: at most one `ip` process per namespace touched, plus the root namespace before and after. */
export async function applyPlan(plan: Plan): Promise<void> {
	await ipBatch(undefined, plan.rootPre);
	faultPoint('netns');
	for (const {name, pid} of plan.symlinks) symlinkSync(`/proc/${pid}/ns/net`, `/run/netns/${name}`);
	await applyVrouter(plan, {force: true});
	faultPoint('vrouter');
	await pool(plan.apps, 4, a => ipBatch(a.namespace, a.lines));
	faultPoint('apps');
	await ipBatch(undefined, plan.rootPost);
	for (const name of plan.unlinks) {
		try {
			unlinkSync(`/run/netns/${name}`);
		} catch {}
	}
	faultPoint('post');
}

