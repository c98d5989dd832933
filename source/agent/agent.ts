import type {Server} from 'node:http';
import {UsageError} from '../core/errors.js';
import type {RemoteRoute} from '../core/model.js';
import {gobgpState, pathKey, pathSig, vrfSig} from '../control/export.js';
import {decodePath, Gobgp, type LocalPath, type VrfSpec} from '../control/gobgp.js';
import type {Context} from '../provision/context.js';
import {converge} from '../provision/converge.js';
import {message} from '../provision/operation.js';
import {serveApi} from './api.js';

export type AgentOptions = {readonly port?: number; readonly pollMs?: number; readonly log?: (line: string) => void};

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function pool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<unknown>): Promise<void> {
	let next = 0;
	await Promise.all(Array.from({length: Math.min(width, items.length)}, async () => {
		while (next < items.length) await fn(items[next++]!);
	}));
}

/**
 * Keeps one host in sync with the others: intent changes go to gobgpd (VRFs and VPNv4 paths), gobgpd's best-path
 * events come back as remote routes in the store and the kernel is converged. gobgpd keeps nothing across a restart,
 * so every (re)connection replays this host's whole state.
 */
export class Agent {
	private gobgp: Gobgp | undefined;
	private pushedVrfs = new Map<string, string>();
	private pushedPaths = new Map<string, LocalPath>();
	private remotes = new Map<string, RemoteRoute>();
	private stopped = false;
	private connected = false;
	private vtep = '';
	private peers: Readonly<Record<string, string>> = {};
	private queue: Promise<void> = Promise.resolve();
	private dataVersion = -1;
	private applyTimer: NodeJS.Timeout | undefined;
	private resyncTimer: NodeJS.Timeout | undefined;
	private converging: Promise<void> | undefined;
	private convergeAgain = false;
	private held: Array<() => void> | undefined;
	private server: Server | undefined;
	private stream: ReturnType<Gobgp['watch']> | undefined;
	readonly stats = {pushes: 0, replays: 0, converges: 0, events: 0};

	constructor(private readonly ctx: Context, private readonly opts: AgentOptions = {}) {}

	log(text: string): void {
		(this.opts.log ?? (l => process.stdout.write(l + '\n')))(`${new Date().toISOString()} ${text}`);
	}

	async start(): Promise<void> {
		const host = this.ctx.store.host();
		if (!host || host.control !== 'gobgp' || !host.gobgp) throw new UsageError("this host is not set up for gobgp: run 'nsdeck host set --name NAME --vtep ADDR --control gobgp --gobgp HOST:PORT' first");
		this.vtep = host.vtep;
		this.peers = host.peers ?? {};
		this.remotes = new Map(this.ctx.store.remotes().map(r => [pathKey(r), r]));
		this.log(`agent ${host.name}: vtep ${host.vtep}, gobgpd ${host.gobgp}, ${this.remotes.size} remote routes from the store`);
		this.gobgp = new Gobgp(host.gobgp);
		const port = this.opts.port ?? host.agentPort;
		if (port) await this.serve(port);
		void this.connectLoop();
		void this.pollIntent();
	}

	async stop(): Promise<void> {
		this.stopped = true;
		this.stream?.cancel();
		this.gobgp?.close();
		await new Promise<void>(r => (this.server ? this.server.close(() => r()) : r()));
		this.log('agent stopped');
	}

	private enqueue(fn: () => Promise<void>): Promise<void> {
		const next = this.queue.then(fn, fn).catch(e => this.log(`error: ${message(e)}`));
		this.queue = next;
		return next;
	}

	/** Intent changed elsewhere (CLI, console, init script): SQLite's data_version tells, cheaply. */
	private async pollIntent(): Promise<void> {
		while (!this.stopped) {
			const v = this.ctx.store.db.pragma('data_version', {simple: true}) as number;
			if (v !== this.dataVersion) {
				this.dataVersion = v;
				if (this.connected) await this.enqueue(() => this.push());
			}
			await sleep(this.opts.pollMs ?? 20);
		}
	}

	private async connectLoop(): Promise<void> {
		let logged = false;
		while (!this.stopped) {
			const g = this.gobgp!;
			try {
				await g.ready(1000);
			} catch {
				if (!logged) this.log('gobgpd unreachable; retrying');
				logged = true;
				await sleep(200);
				continue;
			}
			logged = false;
			try {
				await this.enqueue(() => this.replay());
				await this.watch();
			} catch (e) {
				this.log(`gobgpd connection: ${message(e)}`);
			}
			this.connected = false;
			if (!this.stopped) await sleep(200);
		}
	}

	/** After a (re)connection: what gobgpd holds of ours is read back, then everything is pushed again. */
	private async replay(): Promise<void> {
		const g = this.gobgp!;
		const vrfs = await g.listVrfs();
		const paths = (await g.listPaths()).filter(p => p.nexthop === this.vtep);
		this.pushedVrfs = new Map(vrfs.map(v => [v, '?']));
		this.pushedPaths = new Map(paths.map(p => [pathKey(p), {...p, targets: ['?' as never]}]));
		this.connected = true;
		this.stats.replays++;
		this.log(`gobgpd connected (${vrfs.length} VRFs, ${paths.length} of our paths present): replaying this host's state`);
		await this.push();
	}

	/** Pushes the difference between intent and what gobgpd was given. */
	private async push(): Promise<void> {
		const g = this.gobgp!;
		const intent = this.ctx.store.load();
		this.peers = intent.host?.peers ?? {};
		const want = gobgpState(intent);
		const t0 = Date.now();
		const vrfDel: string[] = [];
		const vrfAdd: VrfSpec[] = [];
		for (const [name, sig] of this.pushedVrfs) {
			const w = want.vrfs.get(name);
			if (!w || vrfSig(w) !== sig) vrfDel.push(name);
		}
		for (const [name, v] of want.vrfs) if (this.pushedVrfs.get(name) !== vrfSig(v)) vrfAdd.push(v);
		const pathDel = [...this.pushedPaths].filter(([k]) => !want.paths.has(k)).map(([, p]) => p);
		const pathAdd = [...want.paths].filter(([k, p]) => {
			const had = this.pushedPaths.get(k);
			return !had || pathSig(had) !== pathSig(p);
		}).map(([, p]) => p);
		if (vrfDel.length + vrfAdd.length + pathDel.length + pathAdd.length === 0) return;
		// paths first: an export-target edit re-adds the same RD:prefix (an implicit replace, never a withdraw)
		await pool(pathAdd, 64, async p => {
			await g.addPath(p);
			this.pushedPaths.set(pathKey(p), p);
		});
		await pool(pathDel, 64, async p => {
			await g.deletePath(p);
			this.pushedPaths.delete(pathKey(p));
		});
		// VRFs are shown to operators (`gobgp vrf`); there is no update, so a change is delete + add. No route is
		// originated in them, so nothing is withdrawn by it.
		await pool(vrfDel, 16, async name => {
			await g.deleteVrf(name).catch(() => undefined);
			this.pushedVrfs.delete(name);
		});
		await pool(vrfAdd, 16, async v => {
			await g.addVrf(v);
			this.pushedVrfs.set(v.name, vrfSig(v));
		});
		this.stats.pushes++;
		this.log(`pushed to gobgpd: +${pathAdd.length} -${pathDel.length} paths, +${vrfAdd.length} -${vrfDel.length} VRFs (${Date.now() - t0} ms)`);
	}

	private watch(): Promise<void> {
		return new Promise(resolve => {
			const stream = this.gobgp!.watch();
			this.stream = stream;
			stream.on('data', (e: Record<string, unknown>) => this.onEvent(e));
			stream.on('error', e => {
				if (!this.stopped) this.log(`gobgpd event stream broke: ${message(e).split('\n')[0]}`);
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
				for (const p of table.paths) {
					const ev = decodePath(p);
					if (!ev || ev.route.nexthop === this.vtep) continue;
					this.named(ev.route);
					this.stats.events++;
					const key = pathKey(ev.route);
					if (ev.withdraw) changed = this.remotes.delete(key) || changed;
					else {
						this.remotes.set(key, ev.route);
						changed = true;
					}
				}
				if (changed) this.scheduleApply();
			}
		};
		const peer = e.peer as {type?: string; peer?: {state?: {session_state?: string; neighbor_address?: string}}} | undefined;
		if (peer?.type === 'STATE') {
			const state = peer.peer?.state?.session_state;
			this.log(`peer ${peer.peer?.state?.neighbor_address ?? '?'} ${state}`);
			if (state === 'ESTABLISHED') this.scheduleResync(3000);
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
				this.log(`resynced remote routes: ${this.remotes.size}`);
				this.scheduleApply();
			});
		}, ms);
	}

	/** Which host a route came from, by its next hop (the VTEP), as `host set --peer` recorded. */
	private named(r: RemoteRoute): RemoteRoute {
		const name = this.peers[r.nexthop];
		if (name) (r as {host?: string}).host = name;
		return r;
	}

	private scheduleApply(): void {
		if (this.applyTimer) return;
		this.applyTimer = setTimeout(() => {
			this.applyTimer = undefined;
			void this.applyRemotes();
		}, 5);
	}

	/** Remote routes into the store, then the kernel converged; one converge at a time, the last change always applied. */
	private async applyRemotes(): Promise<void> {
		if (this.converging) {
			this.convergeAgain = true;
			return;
		}
		this.converging = (async () => {
			do {
				this.convergeAgain = false;
				try {
					const t0 = Date.now();
					if (!this.ctx.store.setRemotes([...this.remotes.values()])) continue;
					const plan = await converge(this.ctx);
					this.stats.converges++;
					this.log(`remote routes ${this.remotes.size}: kernel ${plan.changes.length} changes (${Date.now() - t0} ms)`);
				} catch (e) {
					this.log(`converge failed: ${message(e)}`);
				}
			} while (this.convergeAgain && !this.stopped);
		})();
		await this.converging;
		this.converging = undefined;
	}

	health() {
		return {host: this.ctx.store.host(), gobgp: this.connected, pushedPaths: this.pushedPaths.size, pushedVrfs: this.pushedVrfs.size, remotes: this.remotes.size, stats: this.stats};
	}

	/** The API consoles on other hosts use (see api.ts). */
	private async serve(port: number): Promise<void> {
		this.server = await serveApi(this.ctx, {port, health: () => this.health(), log: line => this.log(line)});
	}
}
