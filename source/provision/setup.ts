// Making and unmaking what a host's nsdeck stands on: the store (`nsdeck init`) and the empty vrouter and gateway
// namespaces (`nsdeck teardown`). Neither guesses: init never replaces a store, and teardown removes what the store
// does not name only when asked (--foreign).
import {existsSync, renameSync} from 'node:fs';
import {fail} from '../core/errors.js';
import {ipBatch} from '../dataplane/ip.js';
import {listNamespaces} from '../dataplane/read.js';
import {createStore, openStore, storePath, StoreError} from '../store/open.js';
import type {Context} from './context.js';
import {requireRoot} from './operation.js';
import {parseStamp, prefixNamespaces, readStamp} from './ownership.js';
import {readInside} from '../dataplane/inside.js';
import {stopProcesses} from './process.js';

export type InitResult = {readonly path: string; readonly created: boolean; readonly movedAside?: string};

/**
 * Creates an empty store explicitly. A healthy store is left as it is; a file that is not a usable store is refused,
 * or with `force` moved aside (never deleted) and replaced by a new empty store.
 */
export function initStore(dir: string, {force = false} = {}): InitResult {
	const path = storePath(dir);
	if (existsSync(path)) {
		try {
			openStore(dir).db.close();
			return {path, created: false};
		} catch (e) {
			if (!(e instanceof StoreError)) throw e;
			if (!force) fail(`${e.message.replace(/; nothing was changed.*$/, '')}: 'nsdeck init --force' moves it aside and makes a new, empty store`);
		}
		const aside = `${path}.broken-${new Date().toISOString().replace(/[:.]/g, '-')}`;
		renameSync(path, aside);
		for (const side of ['-wal', '-shm']) if (existsSync(path + side)) renameSync(path + side, aside + side);
		createStore(dir).db.close();
		return {path, created: true, movedAside: aside};
	}
	createStore(dir).db.close();
	return {path, created: true};
}

export type TeardownResult = {readonly removed: readonly string[]; readonly dryRun: boolean};

/**
 * Removes the vrouter and gateway namespaces once the store names no network and no app; with `foreign`, also every
 * namespace of this prefix the store does not name (and what runs in them). Only ever on the operator's word.
 */
export async function teardown(ctx: Context, {dryRun = false, foreign = false, sandbox = false} = {}): Promise<TeardownResult> {
	const intent = ctx.store.load();
	// a sandbox (the demo's prefix and store, its own alone) is swept whole even when removing its parts failed
	if (!sandbox && (intent.networks.length > 0 || intent.apps.length > 0)) {
		fail(`the store names ${intent.networks.length} network${intent.networks.length === 1 ? '' : 's'} and ${intent.apps.length} app${intent.apps.length === 1 ? '' : 's'}: unbind and delete them first (teardown removes only what is left empty)`);
	}
	if (!dryRun) requireRoot();
	const present = listNamespaces();
	const owned = new Set(intent.owned.map(o => o.name));
	const found = prefixNamespaces(ctx.names, present);
	if (!foreign && present.has(ctx.names.vrouter)) {
		const stamp = parseStamp(await readStamp(ctx.names, present));
		if (stamp?.id !== ctx.store.id()) fail(`the vrouter ${ctx.names.vrouter} was not made by this store (${stamp ? `it was made by ${stamp.path}` : 'it carries no store mark'}): 'nsdeck teardown --foreign' removes it anyway`);
	}
	const removed = found.filter(ns => foreign || ns === ctx.names.vrouter || ns === ctx.names.gateway || owned.has(ns));
	if (dryRun || removed.length === 0) return {removed, dryRun};
	const inside = await readInside(removed.map(ns => `/run/netns/${ns}`), {procs: true});
	await stopProcesses([...inside.values()].flatMap(s => s?.pids ?? []));
	await ipBatch(undefined, removed.map(ns => `netns del ${ns}`), {force: true});
	// a store that does not exist yet is not made just to record this
	if (ctx.store.state !== 'missing') ctx.store.tx(() => {
		intent.owned.forEach(o => ctx.store.disown(o.name));
		ctx.store.audit('teardown', {removed, foreign}, 'ok');
	});
	return {removed, dryRun};
}
