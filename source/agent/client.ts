// A client of another host's agent (protocol.ts), for consoles on other hosts. No UI here: failures become one-line
// errors that say which host and why; the agent's 400 is bad input, exactly as the CLI's exit 2.
import {readFileSync} from 'node:fs';
import {UsageError} from '../core/errors.js';
import type {Explanation} from '../core/explain.js';
import type {PingResult} from '../provision/inspect.js';
import type {Snapshot} from '../provision/snapshot.js';
import type {TargetEdit} from '../provision/targets.js';
import type {AuditEntry} from '../store/intent.js';
import {API, type BindBody, type BindDone, type BindPreview, type Endpoint, type Health, type IfacesAll, type IfacesOfApp, type OutboundDone, type OutboundPreview, type TargetDone, type TargetPreview} from './protocol.js';

/** Where an agent listens and the file holding its bearer token. */
export type AgentTarget = {readonly name: string; readonly url: string; readonly tokenFile: string};

/** How long a read may take before the host counts as unreachable; actions (a bind converges a kernel) get longer. */
export const READ_TIMEOUT_MS = 3000;
export const ACTION_TIMEOUT_MS = 60_000;

/** Why a request never got an answer, in an operator's words. */
function unreachable(host: AgentTarget, e: unknown): Error {
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

export class AgentClient {
	constructor(readonly host: AgentTarget) {}

	private token(): string {
		try {
			return readFileSync(this.host.tokenFile, 'utf8').trim();
		} catch (e) {
			throw new Error(`host ${this.host.name}: cannot read its token file ${this.host.tokenFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
		}
	}

	private async call<T>(endpoint: Endpoint, {query, body, timeoutMs = READ_TIMEOUT_MS}: {query?: Record<string, string>; body?: unknown; timeoutMs?: number} = {}): Promise<T> {
		const {method, path} = API[endpoint];
		const headers: Record<string, string> = {authorization: `Bearer ${this.token()}`};
		if (body !== undefined) headers['content-type'] = 'application/json';
		const url = `${this.host.url}${path}${query ? `?${new URLSearchParams(query)}` : ''}`;
		let res: Response;
		let text: string;
		try {
			res = await fetch(url, {method, headers, ...(body !== undefined ? {body: JSON.stringify(body)} : {}), signal: AbortSignal.timeout(timeoutMs)});
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
		if (res.status === 400) throw new UsageError(error ?? 'bad request');
		if (!res.ok) throw new Error(`host ${this.host.name}: ${error ?? `HTTP ${res.status}`}`);
		return json as T;
	}

	health(timeoutMs = READ_TIMEOUT_MS): Promise<Health> {
		return this.call('health', {timeoutMs});
	}

	snapshot(timeoutMs = READ_TIMEOUT_MS): Promise<Snapshot> {
		return this.call('snapshot', {timeoutMs});
	}

	log(limit: number): Promise<AuditEntry[]> {
		return this.call('log', {query: {limit: String(limit)}});
	}

	ifaces(): Promise<IfacesAll> {
		return this.call('ifaces');
	}

	appDetail(app: string): Promise<IfacesOfApp> {
		return this.call('ifaces', {query: {app}});
	}

	explain(network: string, prefix: string): Promise<Explanation> {
		return this.call('explain', {query: {network, prefix}});
	}

	previewBind(req: Omit<BindBody, 'dryRun'>): Promise<BindPreview> {
		return this.call('bind', {body: {...req, dryRun: true}});
	}

	bind(req: Omit<BindBody, 'dryRun'>): Promise<BindDone> {
		return this.call('bind', {body: req, timeoutMs: ACTION_TIMEOUT_MS});
	}

	async unbind(app: string): Promise<void> {
		await this.call('unbind', {body: {app}, timeoutMs: ACTION_TIMEOUT_MS});
	}

	previewOutbound(app: string, network: string | undefined): Promise<OutboundPreview> {
		return this.call('outbound', {body: {app, ...(network ? {network} : {}), dryRun: true}});
	}

	setOutbound(app: string, network: string | undefined): Promise<OutboundDone> {
		return this.call('outbound', {body: {app, ...(network ? {network} : {})}, timeoutMs: ACTION_TIMEOUT_MS});
	}

	previewTarget(edit: TargetEdit): Promise<TargetPreview> {
		return this.call('targets', {body: {...edit, dryRun: true}});
	}

	editTarget(edit: TargetEdit): Promise<TargetDone> {
		return this.call('targets', {body: edit, timeoutMs: ACTION_TIMEOUT_MS});
	}

	ping(app: string, target: string): Promise<PingResult> {
		return this.call('ping', {body: {app, target}, timeoutMs: ACTION_TIMEOUT_MS});
	}
}
