// One host kept in sync with the others over BGP: what the agent drives. Intent changes go to gobgpd (a VRF per
// network, each app /32 as a VPNv4 path); gobgpd's best-path events come back as remote routes in the store and the
// kernel is converged. gobgpd keeps nothing across a restart, so every (re)connection replays this host's state.
// The faces (the agent) see only this module: they never touch the store or control/ themselves.
import {watch, type FSWatcher} from 'node:fs';
import {UsageError} from '../core/errors.js';
import {compareAddresses} from '../core/ipv4.js';
import type {RemoteRoute} from '../core/model.js';
import {gobgpState, pathKey} from '../control/export.js';
import {decodePath, Gobgp, type PeerInfo} from '../control/gobgp.js';

export type {PeerInfo};
import type {Context} from './context.js';
import {message} from './operation.js';
import {applyRemoteRoutes, type Applied} from './remote-routes.js';
import {GobgpPush} from './sync-push.js';
import type {Step, SyncHealth, SyncOptions} from './sync-status.js';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

export class BgpSync {
	private gobgp: Gobgp | undefined;
	/** what this host gave gobgpd */
	private pushed: GobgpPush | undefined;
	private applyDue = 0;
	private remotes = new Map<string, RemoteRoute>();
	private stopped = false;
	private connected = false;
	private vtep = '';
	private peers: Readonly<Record<string, string>> = {};
	private queue: Promise<void> = Promise.resolve();
	private queued = 0;
	private dataVersion = -1;
	private pushedVersion = -1;
	private applyTimer: NodeJS.Timeout | undefined;
	private resyncTimer: NodeJS.Timeout | undefined;
	private fallback: NodeJS.Timeout | undefined;
	private watcher: FSWatcher | undefined;
	private checkPending = false;
	private converging: Promise<void> | undefined;
	private convergeAgain = false;
	private held: Array<() => void> | undefined;
	private stream: ReturnType<Gobgp['watch']> | undefined;
	private lastPush: Step | null = null;
	private lastConverge: Step | null = null;
	/** what the kernel was last brought to here: the base of the next direct apply */
	private applied: Applied | undefined;
	readonly stats = {pushes: 0, replays: 0, converges: 0, direct: 0, events: 0};

	constructor(private readonly ctx: Context, private readonly opts: SyncOptions) {}

	/** This host's settings, checked: the sync needs `host set --control gobgp`. */
	static settings(ctx: Context) {
		const host = ctx.store.host();
		if (!host || host.control !== 'gobgp' || !host.gobgp) throw new UsageError("this host is not set up for gobgp: run 'nsdeck host set --name NAME --vtep ADDR --control gobgp --gobgp HOST:PORT' first");
		return host;
	}

	start(): void {
		const host = BgpSync.settings(this.ctx);
		this.vtep = host.vtep;
		this.peers = host.peers ?? {};
		this.remotes = new Map(this.ctx.store.remotes().map(r => [pathKey(r), r]));
		this.opts.log('info', 'sync.start', {host: host.name, vtep: host.vtep, gobgp: host.gobgp, remotes: this.remotes.size});
		this.gobgp = new Gobgp(host.gobgp!);
		this.pushed = new GobgpPush(this.gobgp, host.vtep);
		this.watchIntent();
		void this.connectLoop();
	}

	async stop(): Promise<void> {
		this.stopped = true;
		this.watcher?.close();
		clearTimeout(this.fallback);
		clearTimeout(this.applyTimer);
		clearTimeout(this.resyncTimer);
		this.stream?.cancel();
		this.gobgp?.close();
		await this.converging;
	}

	health(): SyncHealth {
		return {
			connected: this.connected,
			pushedPaths: this.pushed?.pathCount ?? 0,
			pushedVrfs: this.pushed?.vrfCount ?? 0,
			remotes: this.remotes.size,
			inSync: this.connected && this.queued === 0 && !this.applyTimer && !this.converging && this.pushedVersion === this.dataVersion,
			lastPush: this.lastPush,
			lastConverge: this.lastConverge,
			stats: {...this.stats},
		};
	}

	/** The BGP sessions of this host's gobgpd (empty when it does not answer), by address: gobgpd lists them in any order. */
	async sessions(): Promise<PeerInfo[]> {
		if (!this.gobgp || !this.connected) return [];
		try {
			return (await this.gobgp.peers()).sort((a, b) => compareAddresses(a.address, b.address));
		} catch {
			return [];
		}
	}

	private enqueue(fn: () => Promise<void>): Promise<void> {
		this.queued++;
		const next = this.queue
			.then(fn, fn)
			.catch(e => this.opts.log('error', 'sync.error', {error: message(e)}))
			.finally(() => {
				this.queued--;
				this.opts.onChange?.();
			});
		this.queue = next;
		return next;
	}

	/**
	 * Intent changed elsewhere (CLI, console, init script): the store's files change (inotify on the state dir), and
	 * SQLite's data_version tells whether another connection committed. No polling loop: an idle agent sleeps.
	 */
	private watchIntent(): void {
		const check = () => {
			this.checkPending = false;
			if (this.stopped) return;
			const v = this.ctx.store.db.pragma('data_version', {simple: true}) as number;
			if (v === this.dataVersion) return;
			this.dataVersion = v;
			if (this.connected) void this.enqueue(() => this.push());
		};
		try {
			this.watcher = watch(this.ctx.dir, {persistent: true}, (_e, file) => {
				if (this.checkPending || (file && !String(file).startsWith('nsdeck.db'))) return;
				this.checkPending = true;
				setImmediate(check);
			});
			this.watcher.on('error', () => undefined);
		} catch {}
		const every = this.opts.fallbackMs ?? 2000;
		const tick = () => {
			check();
			if (!this.stopped) this.fallback = setTimeout(tick, every);
		};
		this.fallback = setTimeout(tick, every);
		check();
	}

	private async connectLoop(): Promise<void> {
		let logged = false;
		while (!this.stopped) {
			const g = this.gobgp!;
			try {
				await g.ready(1000);
			} catch {
				if (!logged) this.opts.log('warn', 'gobgpd.unreachable', {address: g.address});
				logged = true;
				await sleep(200);
				continue;
			}
			logged = false;
			try {
				await this.enqueue(() => this.replay());
				await this.watch();
			} catch (e) {
				this.opts.log('warn', 'gobgpd.connection', {error: message(e)});
			}
			this.connected = false;
			this.opts.onChange?.();
			if (!this.stopped) await sleep(200);
		}
	}

	/** After a (re)connection: what gobgpd holds of ours is read back, then everything is pushed again. */
	private async replay(): Promise<void> {
		const held = await this.pushed!.readBack();
		this.connected = true;
		this.stats.replays++;
		this.opts.log('info', 'gobgpd.connected', held);
		await this.push();
	}

	/** Pushes the difference between intent and what gobgpd was given. */
	private async push(): Promise<void> {
		const version = this.dataVersion;
		const intent = this.ctx.store.load();
		this.peers = intent.host?.peers ?? {};
		const t0 = Date.now();
		const renamed = this.renameRemotes(this.peers);
		const done = await this.pushed!.push(gobgpState(intent));
		this.pushedVersion = version;
		if (done) {
			this.stats.pushes++;
			const ms = Date.now() - t0;
			this.lastPush = {at: new Date().toISOString(), ms, changes: done.pathsAdded + done.pathsRemoved + done.vrfsAdded + done.vrfsRemoved};
			this.opts.log('info', 'gobgpd.push', {...done, ms});
		}
		if (renamed) this.scheduleApply();
	}

	/** `host set --peer` changed: the routes learned are named again. */
	private renameRemotes(peers: Readonly<Record<string, string>>): boolean {
		let changed = false;
		for (const [key, r] of this.remotes) {
			const name = peers[r.nexthop];
			if (name === r.host) continue;
			const {host: _drop, ...rest} = r;
			this.remotes.set(key, name ? {...rest, host: name} : rest);
			changed = true;
		}
		return changed;
	}

	private watch(): Promise<void> {
		return new Promise(resolve => {
			const stream = this.gobgp!.watch();
			this.stream = stream;
			stream.on('data', (e: Record<string, unknown>) => this.onEvent(e));
			stream.on('error', e => {
				if (!this.stopped) this.opts.log('warn', 'gobgpd.stream', {error: message(e).split('\n')[0]});
				resolve();
			});
			stream.on('end', () => resolve());
			this.scheduleResync(50);
		});
	}

	private onEvent(e: Record<string, unknown>): void {
		const apply = () => {
			const table = e.table as {paths?: Array<Record<string, unknown>>} | undefined;
			if (table?.paths) {
				let changed = false;
				let withdrawn = false;
				for (const p of table.paths) {
					const ev = decodePath(p);
					if (!ev || ev.route.nexthop === this.vtep) continue;
					this.stats.events++;
					const key = pathKey(ev.route);
					if (ev.withdraw) {
						if (this.remotes.delete(key)) withdrawn = changed = true;
					} else {
						// the same path again (the other reflector's copy becoming the best one) changes nothing
						const route = this.named(ev.route);
						const had = this.remotes.get(key);
						this.remotes.set(key, route);
						if (!had || JSON.stringify(had) !== JSON.stringify(route)) changed = true;
					}
				}
				// a withdrawal waits 50 ms: a path withdrawn and announced again (an export target removed, a best
				// path moving to the other reflector) is one change, not a route leaving the kernel and coming back
				if (changed) this.scheduleApply(withdrawn ? 50 : 5);
			}
		};
		const peer = e.peer as {type?: string; peer?: {state?: {session_state?: string; neighbor_address?: string}}} | undefined;
		if (peer?.type === 'STATE') {
			const state = peer.peer?.state?.session_state;
			this.opts.log('info', 'bgp.session', {peer: peer.peer?.state?.neighbor_address ?? '?', state});
			if (state === 'ESTABLISHED') this.scheduleResync(3000);
			this.opts.onChange?.();
		}
		if (this.held) this.held.push(apply);
		else apply();
	}

	/**
	 * Replaces the remote routes with gobgpd's whole table (events seen meanwhile are held, then applied): on connecting,
	 * and 3 s after a session comes up, when the reflector has long sent its table. Until then the routes already
	 * learned stay, so a restart of this host's gobgpd does not take other hosts' routes out of its kernel.
	 */
	private scheduleResync(ms: number): void {
		clearTimeout(this.resyncTimer);
		this.resyncTimer = setTimeout(() => {
			this.resyncTimer = undefined;
			void this.enqueue(async () => {
				const g = this.gobgp!;
				if ((await g.established()) === 0) return;
				this.held = [];
				try {
					const all = await g.listPaths();
					this.remotes = new Map(all.filter(r => r.nexthop !== this.vtep).map(r => [pathKey(r), this.named(r)]));
				} finally {
					const held = this.held;
					this.held = undefined;
					for (const f of held) f();
				}
				this.opts.log('info', 'sync.resync', {remotes: this.remotes.size});
				this.scheduleApply();
			});
		}, ms);
	}

	/** Which host a route came from, by its next hop (the VTEP), as `host set --peer` recorded. */
	private named(r: RemoteRoute): RemoteRoute {
		const name = this.peers[r.nexthop];
		return name ? {...r, host: name} : r;
	}

	/** Applies the learned routes `ms` from now, or later if already due later (never earlier). */
	private scheduleApply(ms = 5): void {
		const due = Date.now() + ms;
		if (this.applyTimer && this.applyDue >= due) return;
		clearTimeout(this.applyTimer);
		this.applyDue = due;
		this.applyTimer = setTimeout(() => {
			this.applyTimer = undefined;
			void this.applyRemotes();
		}, ms);
	}

	/**
	 * Remote routes into the store, then into the kernel: as lines alone when nothing but the overlay changed, else a
	 * full converge (provision/remote-routes.ts); one at a time, the last change always applied.
	 */
	private async applyRemotes(): Promise<void> {
		if (this.converging) {
			this.convergeAgain = true;
			return;
		}
		this.converging = (async () => {
			do {
				this.convergeAgain = false;
				const t0 = Date.now();
				const cpu0 = process.cpuUsage();
				try {
					const r = await applyRemoteRoutes(this.ctx, [...this.remotes.values()], this.applied);
					if (r.how === 'none') continue;
					this.applied = r.applied;
					this.stats.converges++;
					if (r.how === 'direct') this.stats.direct++;
					const changes = r.how === 'direct' ? r.lines : r.changes;
					const cpu = process.cpuUsage(cpu0);
					this.lastConverge = {at: new Date().toISOString(), ms: Date.now() - t0, changes};
					this.opts.log('info', 'kernel.converge', {how: r.how, remotes: this.remotes.size, changes, ms: Date.now() - t0, cpuMs: Math.round((cpu.user + cpu.system) / 100) / 10, ...(r.how === 'converge' ? {why: r.why} : {})});
				} catch (e) {
					this.applied = undefined;
					this.lastConverge = {at: new Date().toISOString(), ms: Date.now() - t0, changes: 0, error: message(e)};
					this.opts.log('error', 'kernel.converge', {error: message(e)});
				}
			} while (this.convergeAgain && !this.stopped);
		})();
		await this.converging;
		this.converging = undefined;
		this.opts.onChange?.();
	}
}
