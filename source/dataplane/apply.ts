import {symlinkSync, unlinkSync} from 'node:fs';
import {ipBatch} from './ip.js';
import {pool} from './pool.js';
import type {Plan} from './plan.js';

/** Test hook: NSDECK_FAULT=<step> kills the process with SIGKILL right after that step, to prove reconcile repairs. */
export function faultPoint(step: string): void {
	if (process.env.NSDECK_FAULT === step) process.kill(process.pid, 'SIGKILL');
}

/** Runs a plan: at most one `ip` process per namespace touched, plus the root namespace before and after. */
export async function applyPlan(plan: Plan): Promise<void> {
	await ipBatch(undefined, plan.rootPre);
	faultPoint('netns');
	for (const {name, pid} of plan.symlinks) symlinkSync(`/proc/${pid}/ns/net`, `/run/netns/${name}`);
	await ipBatch(plan.vrouter, plan.vrouterDel, {force: true});
	// VXLAN devices exist in the vrouter once the underlay batch has moved them; their forwarding entries go in before
	// the routes that use them
	for (const u of plan.underlay) await ipBatch(u.namespace, u.lines);
	await ipBatch(plan.vrouter, plan.bridge, {program: 'bridge'});
	await ipBatch(plan.vrouter, plan.vrouterAdd);
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

