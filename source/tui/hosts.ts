// The hosts the console can show (this one, the agents its host settings name, a demo): one backend each, made on
// first use, and the last read of every other host, kept between the refreshes that do not read them.
import {findHost, RemoteBackend, type Backend, type HostRef} from './backend.js';
import type {Data, HostState, Need} from './data.js';
import {message} from './state.js';
import {VIEW, type ViewRef} from './views.js';

export type BackendFactory = (ref: HostRef) => Backend;

export class Hosts {
	private readonly backends = new Map<string, Backend>();
	private readonly peers = new Map<string, HostState>();
	private current: Backend;
	/** bumped on every switch: a read of the previous host that lands later is dropped */
	generation = 0;

	constructor(
		readonly list: readonly HostRef[],
		private readonly make: BackendFactory,
		start: string | undefined,
		private readonly peerTimeoutMs: number,
	) {
		this.current = this.backendFor((start !== undefined ? findHost(list, start) : undefined) ?? list[0]!);
	}

	get backend(): Backend {
		return this.current;
	}

	get host(): HostRef {
		return this.current.host;
	}

	find(name: string): HostRef | undefined {
		return findHost(this.list, name);
	}

	backendFor(ref: HostRef): Backend {
		let b = this.backends.get(ref.name);
		if (!b) this.backends.set(ref.name, (b = this.make(ref)));
		return b;
	}

	/** Shows another host from now on (its first read already done by the caller). */
	use(b: Backend): void {
		this.generation++;
		this.current = b;
	}

	/** What a view needs read (its registry entry says), peers only when there are other hosts. */
	needOf(v: ViewRef): Need {
		const n = VIEW[v.id].need?.(v.arg) ?? {};
		return {ifaces: n.ifaces ?? false, ...(n.app ? {app: n.app} : {}), ...(n.peers && this.list.length > 1 ? {peers: true} : {})};
	}

	/** One read of a host for a view (and of the other hosts when the view shows them), with every host beside it. */
	async read(b: Backend, v: ViewRef, first?: Promise<Data>): Promise<Data> {
		const need = this.needOf(v);
		const [data] = await Promise.all([first ?? b.load(need), need.peers ? this.readPeers(b) : undefined]);
		return data;
	}

	/** Every other host's snapshot, in parallel, each with a short timeout: one slow host does not hold the rest. */
	async readPeers(current: Backend): Promise<void> {
		await Promise.all(this.list.filter(h => h.name !== current.host.name).map(async ref => {
			const b = this.backendFor(ref);
			const remote = b instanceof RemoteBackend ? b : undefined;
			const [snap, health] = await Promise.allSettled([b.snapshot(this.peerTimeoutMs), remote ? remote.health(this.peerTimeoutMs) : Promise.resolve(undefined)]);
			const gobgp = health.status === 'fulfilled' && health.value ? health.value.gobgp : null;
			this.peers.set(ref.name, snap.status === 'fulfilled' ? {ref, current: false, snap: snap.value, gobgp} : {ref, current: false, error: message(snap.reason), gobgp});
		}));
	}

	/** A host that could not be read when switching to it: its row says why. */
	failed(ref: HostRef, error: string): void {
		if (!ref.local) this.peers.set(ref.name, {ref, current: false, error, gobgp: null});
	}

	/** The data of the current host with every known host's last state beside it. */
	withHosts(data: Data): Data {
		const hosts = this.list.map((ref): HostState => {
			if (ref.name === this.host.name) return {ref, current: true, snap: data.snap, gobgp: this.peers.get(ref.name)?.gobgp ?? null};
			return this.peers.get(ref.name) ?? {ref, current: false, pending: true};
		});
		return {...data, hosts};
	}
}
