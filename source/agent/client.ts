// A client of another host's agent (protocol.ts), for consoles on other hosts. No UI here: failures become one-line
// errors that say which host and why; the agent's 400 is bad input, exactly as the CLI's exit 2. Over https the
// agent's certificate must have the pinned fingerprint before the token is sent; plain http only to loopback.
import {readFileSync} from 'node:fs';
import {request, type IncomingMessage} from 'node:http';
import {connect, type TLSSocket} from 'node:tls';
import {fingerprintOf} from '../core/certificate.js';
import {UsageError} from '../core/errors.js';
import {isLoopback} from '../provision/host.js';
import type {Explanation} from '../core/explain.js';
import type {PingResult} from '../provision/inspect.js';
import type {Snapshot} from '../provision/snapshot.js';
import type {TargetEdit} from '../provision/targets.js';
import type {AuditEntry} from '../store/intent.js';
import {API, type BindBody, type BindDone, type BindPreview, type Endpoint, type Health, type IfacesAll, type IfacesOfApp, type OutboundDone, type OutboundPreview, type TargetDone, type TargetPreview} from './protocol.js';

/** Where an agent listens, the file holding its bearer token, and (https) the fingerprint its certificate must have. */
export type AgentTarget = {readonly name: string; readonly url: string; readonly tokenFile: string; readonly fingerprint?: string};

/** How long a read may take before the host counts as unreachable; actions (a bind converges a kernel) get longer. */
export const READ_TIMEOUT_MS = 3000;
export const ACTION_TIMEOUT_MS = 60_000;

/** Why a request never got an answer, in an operator's words. */
function unreachable(host: {name: string; url: string}, e: unknown): Error {
	const err = e as {name?: string; code?: string; cause?: {code?: string; message?: string}; message?: string};
	const code = err.code ?? err.cause?.code;
	const why =
		err.name === 'TimeoutError' || err.name === 'AbortError' || code === 'ETIMEDOUT'
			? 'no answer in time'
			: code === 'ECONNREFUSED'
				? 'connection refused'
				: code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'
					? 'connection closed'
					: code === 'EHOSTUNREACH' || code === 'ENETUNREACH'
						? 'no route to it'
						: (code ?? err.cause?.message ?? err.message ?? String(e));
	return new Error(`host ${host.name} unreachable (${host.url}: ${why})`);
}

/** A pinning refusal: not a network failure, and never retried with the token. */
export class PinError extends Error {}

/** Opens TLS to an agent without trusting any CA; resolves with the socket and its certificate's fingerprint. */
function tlsTo(url: URL, timeoutMs: number): Promise<{socket: TLSSocket; fingerprint: string}> {
	return new Promise((resolve, reject) => {
		const socket = connect({host: url.hostname, port: Number(url.port || 443), rejectUnauthorized: false, timeout: timeoutMs});
		const fail = (e: unknown) => {
			socket.destroy();
			reject(e);
		};
		socket.once('timeout', () => fail(Object.assign(new Error('timeout'), {name: 'TimeoutError'})));
		socket.once('error', fail);
		socket.once('secureConnect', () => {
			socket.removeListener('error', fail);
			socket.setTimeout(0);
			const raw = socket.getPeerCertificate(false)?.raw;
			if (!raw) return fail(new Error('the agent presented no certificate'));
			resolve({socket, fingerprint: fingerprintOf(raw)});
		});
	});
}

/** The fingerprint of the certificate an https agent presents now (nothing is sent to it): `host set` pins it. */
export async function learnFingerprint(name: string, url: string, timeoutMs = READ_TIMEOUT_MS): Promise<string> {
	try {
		const {socket, fingerprint} = await tlsTo(new URL(url), timeoutMs);
		socket.destroy();
		return fingerprint;
	} catch (e) {
		throw unreachable({name, url}, e);
	}
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

	/** A socket to the agent that may carry the token: pinned TLS, or plain to loopback; refused otherwise. */
	private async socketFor(url: URL, timeoutMs: number): Promise<TLSSocket | undefined> {
		if (url.protocol === 'http:') {
			if (!isLoopback(url.hostname)) throw new PinError(`host ${this.host.name}: refusing plain http:// to ${url.host}: the token would leave this host unencrypted (register it with https://)`);
			return undefined;
		}
		if (url.protocol !== 'https:') throw new PinError(`host ${this.host.name}: not an agent URL: ${this.host.url}`);
		if (!this.host.fingerprint) throw new PinError(`host ${this.host.name}: no pinned certificate for ${this.host.url} (nsdeck host set --agent ${this.host.name}=${this.host.url} learns it)`);
		const {socket, fingerprint} = await tlsTo(url, timeoutMs);
		if (fingerprint !== this.host.fingerprint) {
			socket.destroy();
			throw new PinError(`host ${this.host.name}: the agent at ${this.host.url} presents certificate ${fingerprint}, not the pinned ${this.host.fingerprint}: refusing to send the token (if its key was replaced on purpose: nsdeck host set --agent-fingerprint ${this.host.name}=${fingerprint})`);
		}
		return socket;
	}

	private async call<T>(endpoint: Endpoint, {query, body, timeoutMs = READ_TIMEOUT_MS}: {query?: Record<string, string>; body?: unknown; timeoutMs?: number} = {}): Promise<T> {
		const {method, path} = API[endpoint];
		const url = new URL(`${this.host.url}${path}${query ? `?${new URLSearchParams(query)}` : ''}`);
		let res: {status: number; ok: boolean};
		let text: string;
		try {
			const socket = await this.socketFor(url, timeoutMs);
			const headers: Record<string, string> = {authorization: `Bearer ${this.token()}`};
			const payload = body === undefined ? undefined : JSON.stringify(body);
			if (payload !== undefined) headers['content-type'] = 'application/json';
			const answer = await new Promise<{status: number; text: string}>((resolve, reject) => {
				const req = request(
					{method, host: url.hostname, port: url.port || (socket ? 443 : 80), path: url.pathname + url.search, headers, signal: AbortSignal.timeout(timeoutMs), ...(socket ? {createConnection: () => socket} : {})},
					(r: IncomingMessage) => {
						const chunks: Buffer[] = [];
						r.on('data', (c: Buffer) => chunks.push(c));
						r.on('end', () => resolve({status: r.statusCode ?? 0, text: Buffer.concat(chunks).toString()}));
						r.on('error', reject);
					},
				);
				req.on('error', reject);
				req.end(payload);
			});
			res = {status: answer.status, ok: answer.status >= 200 && answer.status < 300};
			text = answer.text;
		} catch (e) {
			if (e instanceof PinError || (e as Error).message?.startsWith(`host ${this.host.name}: cannot read`)) throw e;
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
