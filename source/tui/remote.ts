// Another host, through its agent's HTTP API (GET /v1/snapshot, /v1/log, /v1/ifaces, /v1/explain; POST /v1/bind,
// /v1/unbind, /v1/outbound, /v1/targets, /v1/ping, with dryRun for previews). Failures become one-line errors
// that say which host and why; the console shows them and keeps running.
import {readFileSync} from 'node:fs';
import type {RoutingDiff} from '../core/diff.js';
import {UsageError} from '../core/errors.js';
import type {Explanation} from '../core/explain.js';
import type {InterfaceRow, NamespaceRoute, PingResult} from '../provision/inspect.js';
import type {OutboundPreview} from '../provision/preview.js';
import type {Snapshot} from '../provision/snapshot.js';
import type {TargetEdit} from '../provision/targets.js';
import type {AppIface, AuditEntry} from '../store/intent.js';
import type {Backend, BindPreview, BindRequest, HostRef, OutboundResult, TargetPreview} from './backend.js';
import {LOG_LIMIT, type Data, type Need} from './data.js';

/** How long a read may take before the host counts as unreachable; actions (a bind converges a kernel) get longer. */
export const READ_TIMEOUT_MS = 3000;
const ACTION_TIMEOUT_MS = 60_000;

/** Why a request never got an answer, in an operator's words. */
function unreachable(host: HostRef, e: unknown): Error {
	const err = e as {name?: string; cause?: {code?: string; message?: string}; message?: string};
	const why =
		err.name === 'TimeoutError' || err.name === 'AbortError'
			? 'no answer in time'
			: err.cause?.code === 'ECONNREFUSED'
				? 'connection refused'
				: err.cause?.code === 'UND_ERR_SOCKET' || err.cause?.code === 'ECONNRESET'
					? 'connection closed'
					: (err.cause?.code ?? err.cause?.message ?? err.message ?? String(e));
	return new Error(`host ${host.name} unreachable (${host.url}: ${why})`);
}

export class RemoteBackend implements Backend {
	constructor(readonly host: HostRef, private readonly now: () => number = Date.now) {}

	private token(): string {
		try {
			return readFileSync(this.host.tokenFile!, 'utf8').trim();
		} catch (e) {
			throw new Error(`host ${this.host.name}: cannot read its token file ${this.host.tokenFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
		}
	}

	private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs = READ_TIMEOUT_MS): Promise<T> {
		const headers: Record<string, string> = {authorization: `Bearer ${this.token()}`};
		if (body !== undefined) headers['content-type'] = 'application/json';
		let res: Response;
		let text: string;
		try {
			res = await fetch(`${this.host.url}${path}`, {method, headers, ...(body !== undefined ? {body: JSON.stringify(body)} : {}), signal: AbortSignal.timeout(timeoutMs)});
			text = await res.text();
		} catch (e) {
			throw unreachable(this.host, e);
		}
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch {
			throw new Error(`host ${this.host.name}: not an nsdeck agent at ${this.host.url} (HTTP ${res.status})`);
		}
		if (res.status === 401) throw new Error(`host ${this.host.name} refused the token in ${this.host.tokenFile}`);
		const error = (json as {error?: string}).error;
		// the agent's 400 is bad input, exactly as the CLI's exit 2: the console shows it as the field's or flash's error
		if (res.status === 400) throw new UsageError(error ?? 'bad request');
		if (!res.ok) throw new Error(`host ${this.host.name}: ${error ?? `HTTP ${res.status}`}`);
		return json as T;
	}

	async load(need: Need): Promise<Data> {
		const [snap, log, ifaces, app] = await Promise.all([
			this.snapshot(),
			this.call<AuditEntry[]>('GET', `/v1/log?limit=${LOG_LIMIT}`),
			need.ifaces ? this.call<{ifaces: InterfaceRow[]}>('GET', '/v1/ifaces').then(r => r.ifaces) : undefined,
			need.app === undefined
				? undefined
				: this.call<{ifaces: InterfaceRow[]; routes: NamespaceRoute[]}>('GET', `/v1/ifaces?app=${encodeURIComponent(need.app)}`).then(r => ({name: need.app!, ...r})),
		]);
		return {snap, log, ...(ifaces ? {ifaces} : {}), ...(app ? {app} : {}), loadedAt: this.now()};
	}

	snapshot(timeoutMs = READ_TIMEOUT_MS): Promise<Snapshot> {
		return this.call<Snapshot>('GET', '/v1/snapshot', undefined, timeoutMs).then(s => {
			this.prefix = s.prefix;
			return s;
		});
	}

	health(timeoutMs = READ_TIMEOUT_MS): Promise<{gobgp: boolean; remotes: number}> {
		return this.call('GET', '/v1/health', undefined, timeoutMs);
	}

	/** The remote host's namespace names are known only from its snapshot's prefix. */
	prefix = '';

	namespaceOf(app: string): string {
		return `${this.prefix}ns-${app}`;
	}

	previewBind(req: BindRequest): Promise<BindPreview> {
		return this.call('POST', '/v1/bind', {...bindBody(req), dryRun: true});
	}

	previewOutbound(app: string, network: string | undefined): Promise<OutboundPreview> {
		return this.call('POST', '/v1/outbound', {app, ...(network ? {network} : {}), dryRun: true});
	}

	previewTarget(edit: TargetEdit): Promise<TargetPreview> {
		return this.call('POST', '/v1/targets', {...edit, dryRun: true});
	}

	explain(network: string, prefix: string): Promise<Explanation> {
		return this.call('GET', `/v1/explain?network=${encodeURIComponent(network)}&prefix=${encodeURIComponent(prefix)}`);
	}

	async bind(req: BindRequest) {
		const r = await this.call<{pid: number | null; ifaces: AppIface[]}>('POST', '/v1/bind', bindBody(req), ACTION_TIMEOUT_MS);
		return {...(r.pid ? {pid: r.pid} : {}), ifaces: r.ifaces};
	}

	async unbind(app: string): Promise<void> {
		await this.call('POST', '/v1/unbind', {app}, ACTION_TIMEOUT_MS);
	}

	setOutbound(app: string, network: string | undefined): Promise<OutboundResult> {
		return this.call('POST', '/v1/outbound', {app, ...(network ? {network} : {})}, ACTION_TIMEOUT_MS);
	}

	editTarget(edit: TargetEdit): Promise<RoutingDiff> {
		return this.call('POST', '/v1/targets', edit, ACTION_TIMEOUT_MS);
	}

	ping(app: string, target: string): Promise<PingResult> {
		return this.call('POST', '/v1/ping', {app, target}, ACTION_TIMEOUT_MS);
	}
}

function bindBody(req: BindRequest): Record<string, unknown> {
	return {app: req.app, network: req.network, ...(req.outbound ? {outbound: req.outbound} : {}), ...(req.address ? {ip: req.address} : {}), ...(req.command ? {command: req.command} : {})};
}
