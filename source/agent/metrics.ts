// Prometheus metrics of one host, on a loopback port of their own (read-only, nothing secret: counts, states and
// times). prom-client is loaded only when metrics are served (~27 ms and ~10 MiB once). Values are read at scrape
// time from the same doors the faces use (a snapshot, the sync's health), so a scrape says what `status` says.
import {createServer, type Server} from 'node:http';
import {OperationError} from '../core/errors.js';
import type {Context} from '../provision/context.js';
import {message} from '../provision/operation.js';
import {snapshot, type Snapshot} from '../provision/snapshot.js';
import type {PeerInfo} from '../provision/sync.js';
import type {SyncHealth} from '../provision/sync-status.js';

export type MetricsSource = {
	readonly ctx: Context;
	readonly sync: () => SyncHealth;
	readonly sessions: () => Promise<PeerInfo[]>;
};

/** What the host's drift and foreign state count, from whichever fields the snapshot has. */
function counts(s: Snapshot): {drift: number; foreign: number} {
	const x = s as Snapshot & {drift?: readonly unknown[]; foreign?: readonly unknown[]};
	return {drift: x.drift ? x.drift.length : s.apps.reduce((n, a) => n + a.drift.length, 0), foreign: x.foreign ? x.foreign.length : 0};
}

export class Metrics {
	private server: Server | undefined;
	private requests: {inc(labels: Record<string, string>): void} | undefined;

	constructor(private readonly src: MetricsSource) {}

	/** Counts one API request by its status (called by the API for every answer). */
	request(status: number): void {
		this.requests?.inc({status: String(status)});
	}

	async serve(port: number, address = '127.0.0.1'): Promise<string> {
		const prom = await import('prom-client');
		const registry = new prom.Registry();
		const gauge = (name: string, help: string, labelNames: string[], collect: (g: InstanceType<typeof prom.Gauge>) => void | Promise<void>) =>
			new prom.Gauge({name, help, labelNames, registers: [registry], collect(this: InstanceType<typeof prom.Gauge>) {
				return collect(this);
			}});
		let snap: Promise<Snapshot> | undefined;
		// one snapshot per scrape, shared by the gauges that read it
		const current = () => (snap ??= snapshot(this.src.ctx).finally(() => setTimeout(() => (snap = undefined), 100)));
		let sessions: Promise<PeerInfo[]> | undefined;
		const peers = () => (sessions ??= this.src.sessions().finally(() => setTimeout(() => (sessions = undefined), 100)));

		gauge('nsdeck_apps', 'Apps bound on this host', [], async g => g.set((await current()).apps.length));
		gauge('nsdeck_networks', 'Networks on this host', [], async g => g.set((await current()).networks.length));
		gauge('nsdeck_vrf_routes', 'Routes each VRF holds, by origin (local, imported, remote, external)', ['network', 'origin'], async g => {
			g.reset();
			const s = await current();
			for (const n of s.networks) for (const o of ['local', 'imported', 'remote', 'external']) g.set({network: n.name, origin: o}, 0);
			for (const r of s.routes) g.inc({network: r.network, origin: r.origin.kind});
		});
		gauge('nsdeck_vrf_routes_missing', 'Routes a VRF holds that its kernel table lacks', ['network'], async g => {
			g.reset();
			const s = await current();
			for (const n of s.networks) g.set({network: n.name}, s.routes.filter(r => r.network === n.name && r.installed === false).length);
		});
		gauge('nsdeck_drift_items', 'Differences between intent and kernel (what reconcile would change)', [], async g => g.set(counts(await current()).drift));
		gauge('nsdeck_foreign_items', 'Kernel state in nsdeck\'s namespaces and tables that nsdeck did not put there', [], async g => g.set(counts(await current()).foreign));
		gauge('nsdeck_kernel_read', '1 when the kernel could be read', [], async g => g.set((await current()).kernelRead ? 1 : 0));
		gauge('nsdeck_remote_routes', 'Routes learned from other hosts and routers', [], g => g.set(this.src.sync().remotes));
		gauge('nsdeck_gobgpd_connected', '1 when the host\'s gobgpd answers and holds this host\'s state', [], g => g.set(this.src.sync().connected ? 1 : 0));
		gauge('nsdeck_in_sync', '1 when intent is pushed and every learned route applied', [], g => g.set(this.src.sync().inSync ? 1 : 0));
		gauge('nsdeck_bgp_session_up', 'BGP session state per neighbor (1 established)', ['peer'], async g => {
			g.reset();
			for (const p of await peers()) g.set({peer: p.address}, p.state === 'ESTABLISHED' ? 1 : 0);
		});
		gauge('nsdeck_bgp_routes_received', 'VPNv4 paths received per neighbor', ['peer'], async g => {
			g.reset();
			for (const p of await peers()) g.set({peer: p.address}, p.received);
		});
		gauge('nsdeck_bgp_routes_accepted', 'VPNv4 paths accepted per neighbor', ['peer'], async g => {
			g.reset();
			for (const p of await peers()) g.set({peer: p.address}, p.accepted);
		});
		gauge('nsdeck_last_converge_timestamp_seconds', 'When the agent last converged the kernel (Unix time)', [], g => {
			const c = this.src.sync().lastConverge;
			g.set(c ? Date.parse(c.at) / 1000 : 0);
		});
		gauge('nsdeck_last_converge_duration_seconds', 'How long the last converge took', [], g => g.set((this.src.sync().lastConverge?.ms ?? 0) / 1000));
		gauge('nsdeck_converges', 'Converges the agent ran since it started', [], g => g.set(this.src.sync().stats.converges));
		gauge('nsdeck_agent_resident_bytes', 'Resident memory of the agent', [], g => g.set(process.memoryUsage().rss));
		gauge('nsdeck_agent_cpu_seconds', 'CPU time the agent used (user + system)', [], g => {
			const u = process.cpuUsage();
			g.set((u.user + u.system) / 1e6);
		});
		const counter = new prom.Counter({name: 'nsdeck_api_requests_total', help: 'Agent API requests by HTTP status', labelNames: ['status'], registers: [registry]});
		this.requests = counter;

		this.server = createServer((req, res) => {
			if (req.method !== 'GET' || (req.url !== '/metrics' && req.url !== '/')) {
				res.writeHead(404).end('metrics are at /metrics\n');
				return;
			}
			registry.metrics().then(
				text => res.writeHead(200, {'content-type': registry.contentType}).end(text),
				e => res.writeHead(500).end(`# ${message(e)}\n`),
			);
		});
		const server = this.server;
		return new Promise((resolve, reject) => {
			server.once('error', e => reject(new OperationError(`metrics on ${address}:${port}: ${message(e)}`)));
			server.listen(port, address, () => resolve(`http://${address}:${(server.address() as {port: number}).port}/metrics`));
		});
	}

	close(): Promise<void> {
		return new Promise(r => (this.server ? this.server.close(() => r()) : r()));
	}
}
