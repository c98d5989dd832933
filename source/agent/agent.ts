// The per-host agent: drives the BGP sync (provision/sync.ts), serves the host to consoles on other hosts (api.ts:
// HTTPS on the host's address with its own certificate, plain HTTP on loopback), its metrics on a loopback port of
// their own (metrics.ts), and logs structured lines (log.ts). A face: it reaches the store and gobgpd only through
// provision/.
import type {Server} from 'node:http';
import type {Context} from '../provision/context.js';
import {agentCredentials, agentToken} from '../provision/credentials.js';
import {isLoopback} from '../provision/host.js';
import {hostInfo} from '../provision/reads.js';
import {BgpSync} from '../provision/sync.js';
import {writeAgentStatus} from '../provision/sync-status.js';
import {serveApi} from './api.js';
import {makeLogger, type Logger} from './log.js';
import {Metrics} from './metrics.js';
import type {Health} from './protocol.js';

export type AgentOptions = {
	/** the API's port (default: `host set --agent-port`; none: no API) */
	readonly port?: number;
	/** where HTTPS listens (default: the host's VTEP address); a loopback address serves plain HTTP only */
	readonly address?: string;
	/** Prometheus metrics on 127.0.0.1:PORT (0 or undefined: none) */
	readonly metricsPort?: number;
	readonly tlsKey?: string;
	readonly tlsCert?: string;
	readonly log?: Logger;
	/** how often intent is checked without a file event (tests) */
	readonly fallbackMs?: number;
};

export class Agent {
	readonly sync: BgpSync;
	private readonly log: Logger;
	private servers: Server[] = [];
	private metrics: Metrics | undefined;
	private api: NonNullable<Health['api']> = {https: null, http: null, fingerprint: null};
	private statusTimer: NodeJS.Timeout | undefined;
	private idleTimer: NodeJS.Timeout | undefined;
	private stopped = false;

	constructor(private readonly ctx: Context, private readonly opts: AgentOptions = {}) {
		this.log = opts.log ?? makeLogger();
		this.sync = new BgpSync(ctx, {log: this.log, onChange: () => this.statusSoon(), ...(opts.fallbackMs ? {fallbackMs: opts.fallbackMs} : {})});
	}

	async start(): Promise<void> {
		const host = BgpSync.settings(this.ctx);
		// checked before anything starts: an empty or short token refuses the agent (one line naming the file)
		agentToken(this.ctx.dir);
		const port = this.opts.port ?? host.agentPort;
		if (port) {
			const address = this.opts.address ?? host.vtep;
			const onRequest = (r: {method: string; path: string; status: number; ms: number; remote: string}) => {
				this.metrics?.request(r.status);
				this.log(r.status >= 500 ? 'error' : r.status >= 400 ? 'warn' : 'info', 'api', r);
			};
			const health = () => this.health();
			const serverLog = (line: string) => this.log('info', 'api.listen', {url: line.replace(/^API on /, '')});
			if (!isLoopback(address)) {
				const creds = agentCredentials(this.ctx.dir, {name: host.name, addresses: [address], ...(this.opts.tlsKey ? {keyFile: this.opts.tlsKey} : {}), ...(this.opts.tlsCert ? {certFile: this.opts.tlsCert} : {})});
				if (creds.made) this.log('info', 'tls.made', {fingerprint: creds.fingerprint});
				this.servers.push(await serveApi(this.ctx, {port, address, tls: {key: creds.key, cert: creds.cert}, health, log: serverLog, onRequest}));
				this.api = {...this.api, https: `https://${address}:${port}`, fingerprint: creds.fingerprint};
			}
			this.servers.push(await serveApi(this.ctx, {port, address: isLoopback(address) ? address : '127.0.0.1', health, log: serverLog, onRequest}));
			this.api = {...this.api, http: `http://${isLoopback(address) ? address : '127.0.0.1'}:${port}`};
		}
		if (this.opts.metricsPort) {
			this.metrics = new Metrics({ctx: this.ctx, sync: () => this.sync.health(), sessions: () => this.sync.sessions()});
			this.log('info', 'metrics.listen', {url: await this.metrics.serve(this.opts.metricsPort)});
		}
		this.sync.start();
		this.statusSoon();
	}

	/** The state file (agent.status.json) follows changes, at most every 100 ms, and every 30 s while idle (sessions). */
	private statusSoon(ms = 100): void {
		if (this.statusTimer) return;
		this.statusTimer = setTimeout(() => {
			this.statusTimer = undefined;
			void this.sync.sessions().then(sessions => {
				try {
					writeAgentStatus(this.ctx.dir, {...this.sync.health(), pid: process.pid, at: new Date().toISOString(), sessions});
				} catch (e) {
					this.log('warn', 'status.write', {error: (e as Error).message});
				}
				if (!this.stopped) this.idleTimer = setTimeout(() => this.statusSoon(0), 30_000);
			});
		}, ms);
		clearTimeout(this.idleTimer);
	}

	async stop(): Promise<void> {
		this.stopped = true;
		clearTimeout(this.statusTimer);
		clearTimeout(this.idleTimer);
		await this.sync.stop();
		await Promise.all(this.servers.map(s => new Promise<void>(r => s.close(() => r()))));
		await this.metrics?.close();
		this.log('info', 'agent.stop');
	}

	async health(): Promise<Health> {
		const s = this.sync.health();
		return {
			host: hostInfo(this.ctx).host ?? null,
			gobgp: s.connected,
			pushedPaths: s.pushedPaths,
			pushedVrfs: s.pushedVrfs,
			remotes: s.remotes,
			stats: s.stats,
			sessions: await this.sync.sessions(),
			sync: s,
			api: this.api,
		};
	}
}
