// Where the console reads a host and sends its actions: this host in process (its store and kernel), or another
// host's agent over HTTP (agent/client.ts). Previews of this host stay synchronous, so a fast typist's "Enter y" still
// confirms exactly what was previewed; a remote one answers with a promise.
import type {RoutingDiff} from '../core/diff.js';
import type {Explanation} from '../core/explain.js';
import {bind, setOutbound, unbind} from '../provision/apps.js';
import type {Context} from '../provision/context.js';
import {pingFrom, type PingResult} from '../provision/inspect.js';
import {previewCreateNetwork, previewDeleteNetwork, type NetworkPreview} from '../provision/network-preview.js';
import {createNetwork, deleteNetwork, type CreateNetwork} from '../provision/networks.js';
import {previewBind, previewOutbound, type OutboundPreview} from '../provision/preview.js';
import {snapshot, type Snapshot} from '../provision/snapshot.js';
import {editTarget, previewTargetEdit, type TargetEdit} from '../provision/targets.js';
import {contextLoader, LOG_LIMIT, type Data, type Loader, type Need} from './data.js';
import {AgentClient, READ_TIMEOUT_MS} from '../agent/client.js';
import type {BindPreview, TargetPreview} from '../agent/protocol.js';
import {explainIn, findHost, knownHosts, localName, LOCAL_ALIASES, type HostRef} from '../provision/reads.js';
import {explainPeer} from '../provision/legs.js';
import {peerFromSnapshot, type PeerExplanation} from './peer.js';

export type Maybe<T> = T | Promise<T>;
export type BindRequest = {app: string; network: string; outbound?: string; address?: string; command?: string[]};
export type {BindPreview, TargetPreview, NetworkPreview, CreateNetwork, PeerExplanation};
export type OutboundResult = {readonly unchanged: boolean; readonly diff?: RoutingDiff};
export type BoundIface = {readonly role: 'in' | 'out'; readonly network: string; readonly address: string};
/** A ping's answer; a failed one names each leg and a reason. */
export type Ping = PingResult;

export interface Backend {
	readonly host: HostRef;
	load(need: Need): Promise<Data>;
	/** the host's snapshot alone, for the hosts and targets views; `timeoutMs` bounds a remote read */
	snapshot(timeoutMs?: number): Promise<Snapshot>;
	namespaceOf(app: string): string;
	previewBind(req: BindRequest): Maybe<BindPreview>;
	previewOutbound(app: string, network: string | undefined): Maybe<OutboundPreview>;
	previewTarget(edit: TargetEdit): Maybe<TargetPreview>;
	previewCreateNetwork(req: CreateNetwork): Maybe<NetworkPreview>;
	previewDeleteNetwork(name: string): Maybe<NetworkPreview>;
	explain(network: string, prefix: string): Maybe<Explanation>;
	explainPeer(app: string, peer: string): Promise<PeerExplanation>;
	bind(req: BindRequest): Promise<{pid?: number; ifaces: readonly BoundIface[]}>;
	unbind(app: string): Promise<void>;
	setOutbound(app: string, network: string | undefined): Promise<OutboundResult>;
	editTarget(edit: TargetEdit): Promise<RoutingDiff>;
	createNetwork(req: CreateNetwork): Promise<void>;
	deleteNetwork(name: string): Promise<void>;
	ping(app: string, target: string): Promise<Ping>;
}

export type {HostRef};
export {findHost, knownHosts, localName, LOCAL_ALIASES};

export class LocalBackend implements Backend {
	readonly host: HostRef;
	private readonly loader: Loader;

	constructor(readonly ctx: Context, loader?: Loader, now?: () => number, name?: string) {
		this.host = {name: name ?? localName(ctx), local: true};
		this.loader = loader ?? contextLoader(ctx, now);
	}

	load(need: Need): Promise<Data> {
		return this.loader(need);
	}

	snapshot(): Promise<Snapshot> {
		return snapshot(this.ctx);
	}

	namespaceOf(app: string): string {
		return this.ctx.names.appNamespace(app);
	}

	previewBind(req: BindRequest): BindPreview {
		return previewBind(this.ctx, req);
	}

	previewOutbound(app: string, network: string | undefined): OutboundPreview {
		return previewOutbound(this.ctx, app, network);
	}

	previewTarget(edit: TargetEdit): TargetPreview {
		return previewTargetEdit(this.ctx, edit);
	}

	previewCreateNetwork(req: CreateNetwork): NetworkPreview {
		return previewCreateNetwork(this.ctx, req);
	}

	previewDeleteNetwork(name: string): NetworkPreview {
		return previewDeleteNetwork(this.ctx, name);
	}

	explain(network: string, prefix: string): Promise<Explanation> {
		return explainIn(this.ctx, network, prefix);
	}

	explainPeer(app: string, peer: string): Promise<PeerExplanation> {
		return explainPeer(this.ctx, app, peer);
	}

	async bind(req: BindRequest) {
		const r = await bind(this.ctx, req);
		return {...(r.pid ? {pid: r.pid} : {}), ifaces: r.ifaces};
	}

	async unbind(app: string): Promise<void> {
		await unbind(this.ctx, app);
	}

	async setOutbound(app: string, network: string | undefined): Promise<OutboundResult> {
		const r = await setOutbound(this.ctx, app, network);
		return r.unchanged ? {unchanged: true} : {unchanged: false, diff: r.diff};
	}

	async editTarget(edit: TargetEdit): Promise<RoutingDiff> {
		return (await editTarget(this.ctx, edit)).diff;
	}

	async createNetwork(req: CreateNetwork): Promise<void> {
		await createNetwork(this.ctx, req);
	}

	async deleteNetwork(name: string): Promise<void> {
		await deleteNetwork(this.ctx, name);
	}

	ping(app: string, target: string): Promise<Ping> {
		return pingFrom(this.ctx, app, target);
	}
}

/** Another host, through its agent's API; its previews answer with a promise. */
export class RemoteBackend implements Backend {
	readonly client: AgentClient;
	/** The remote host's namespace names are known only from its snapshot's prefix. */
	private prefix = '';

	constructor(readonly host: HostRef, private readonly now: () => number = Date.now) {
		this.client = new AgentClient({name: host.name, url: host.url!, tokenFile: host.tokenFile!, ...(host.fingerprint ? {fingerprint: host.fingerprint} : {})});
	}

	async load(need: Need): Promise<Data> {
		const [snap, log, ifaces, app] = await Promise.all([
			this.snapshot(),
			this.client.log(LOG_LIMIT),
			need.ifaces ? this.client.ifaces().then(r => r.ifaces) : undefined,
			need.app === undefined ? undefined : this.client.appDetail(need.app).then(r => ({name: need.app!, ...r})),
		]);
		return {snap, log, ...(ifaces ? {ifaces} : {}), ...(app ? {app} : {}), loadedAt: this.now()};
	}

	async snapshot(timeoutMs = READ_TIMEOUT_MS): Promise<Snapshot> {
		const s = await this.client.snapshot(timeoutMs);
		this.prefix = s.prefix;
		return s;
	}

	health(timeoutMs = READ_TIMEOUT_MS) {
		return this.client.health(timeoutMs);
	}

	namespaceOf(app: string): string {
		return `${this.prefix}ns-${app}`;
	}

	previewBind(req: BindRequest): Promise<BindPreview> {
		return this.client.previewBind(bindBody(req));
	}

	previewOutbound(app: string, network: string | undefined): Promise<OutboundPreview> {
		return this.client.previewOutbound(app, network);
	}

	previewTarget(edit: TargetEdit): Promise<TargetPreview> {
		return this.client.previewTarget(edit);
	}

	private noNetworks(): never {
		throw new Error(`${this.host.name}'s agent does not create or delete networks: run 'nsdeck net create' or 'nsdeck net delete' on ${this.host.name}`);
	}

	previewCreateNetwork(): never {
		return this.noNetworks();
	}

	previewDeleteNetwork(): never {
		return this.noNetworks();
	}

	createNetwork(): Promise<void> {
		return this.noNetworks();
	}

	deleteNetwork(): Promise<void> {
		return this.noNetworks();
	}

	explain(network: string, prefix: string): Promise<Explanation> {
		return this.client.explain(network, prefix);
	}

	async explainPeer(app: string, peer: string): Promise<PeerExplanation> {
		return peerFromSnapshot(await this.snapshot(), app, peer);
	}

	async bind(req: BindRequest) {
		const r = await this.client.bind(bindBody(req));
		return {...(r.pid ? {pid: r.pid} : {}), ifaces: r.ifaces};
	}

	unbind(app: string): Promise<void> {
		return this.client.unbind(app);
	}

	setOutbound(app: string, network: string | undefined): Promise<OutboundResult> {
		return this.client.setOutbound(app, network);
	}

	editTarget(edit: TargetEdit): Promise<RoutingDiff> {
		return this.client.editTarget(edit);
	}

	ping(app: string, target: string): Promise<Ping> {
		return this.client.ping(app, target);
	}
}

function bindBody(req: BindRequest) {
	return {app: req.app, network: req.network, ...(req.outbound ? {outbound: req.outbound} : {}), ...(req.address ? {ip: req.address} : {}), ...(req.command ? {command: req.command} : {})};
}
