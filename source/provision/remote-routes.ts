// The agent's learned routes into the store and the kernel (provision/sync.ts). When a change of remote routes
// changes nothing but the overlay (routes over VXLAN devices, devices made or deleted for a label that comes or goes,
// a tunnel endpoint's forwarding entries and neighbours), the kernel gets exactly the lines a converge would apply
// (dataplane/delta.ts), without reading it first: ~17 ms of CPU per change at 30 hosts when only routes change,
// instead of ~42 for a converge (read the vrouter, plan, apply: 3-5 processes), which every host importing the route
// pays. Anything else (intent changed since the last apply, a vrouter made again) and any failure is the full
// converge, under the same lock.
import {statSync} from 'node:fs';
import type {RemoteRoute} from '../core/model.js';
import type {Desired} from '../dataplane/desired.js';
import {applyVrouter} from '../dataplane/apply.js';
import {directDelta, sameDesired} from '../dataplane/delta.js';
import {withApplyLock} from '../store/lock.js';
import type {Context} from './context.js';
import {convergeHeld, desiredNow} from './converge.js';
import {message} from './operation.js';
import {storeStamp} from './ownership.js';

/** What the agent last made the kernel hold: the desired state, and in which vrouter namespace. */
export type Applied = {readonly desired: Desired; readonly vrouter: string};

export type RemoteApply =
	/** the store held these routes already: nothing to do */
	| {readonly how: 'none'}
	/** the lines a converge would write, applied without reading the kernel */
	| {readonly how: 'direct'; readonly lines: number; readonly applied: Applied}
	/** why the fast path could not be taken */
	| {readonly how: 'converge'; readonly changes: number; readonly why: string; readonly applied: Applied | undefined};

/** A namespace's identity: its inode, and when it was made (the kernel reuses inode numbers of deleted namespaces). */
function identity(path: string): string | undefined {
	try {
		const s = statSync(path);
		return `${s.ino} ${s.ctimeMs}`;
	} catch {
		return undefined;
	}
}

/**
 * Records the routes learned and brings the kernel to them. The fast path trusts the kernel to hold `last` (what this
 * agent applied last): it is taken only when intent without the change still gives exactly `last` (nobody changed
 * intent since: a CLI command converges, and its next change here is a full converge), the vrouter is the same
 * namespace (not deleted or made again by anyone), and only the overlay differs. Throws when the converge fails.
 */
export async function applyRemoteRoutes(ctx: Context, remotes: readonly RemoteRoute[], last: Applied | undefined): Promise<RemoteApply> {
	return withApplyLock(ctx.dir, async () => {
		const previous = ctx.store.remotes();
		if (!ctx.store.setRemotes(remotes)) return {how: 'none'};
		const vrouterPath = `/run/netns/${ctx.names.vrouter}`;
		let why = 'no kernel applied yet';
		if (last) {
			const intent = ctx.store.load();
			const stamp = storeStamp(ctx);
			const before = desiredNow(ctx, {...intent, remotes: previous}, stamp).desired;
			const after = desiredNow(ctx, intent, stamp).desired;
			const delta = directDelta(before, after, ctx.names.prefix);
			if (!sameDesired(last.desired, before)) why = 'intent changed since';
			else if (identity(vrouterPath) !== last.vrouter) why = 'the vrouter is not the one applied';
			else if (!delta) why = 'more than the overlay changed';
			else {
				try {
					return {how: 'direct', lines: await applyVrouter(delta), applied: {desired: after, vrouter: last.vrouter}};
				} catch (e) {
					why = `direct lines failed: ${message(e)}`;
				}
			}
		}
		const s = await convergeHeld(ctx);
		const vrouter = identity(vrouterPath);
		return {how: 'converge', changes: s.plan.changes.length, why, applied: vrouter === undefined ? undefined : {desired: s.desired, vrouter}};
	});
}
