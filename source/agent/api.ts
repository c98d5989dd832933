// The HTTP API an agent serves to consoles on other hosts: the host's snapshot, audit log and interfaces, and the
// console's actions (with dry runs for their previews). Over TLS on the host's address, plain HTTP only on loopback;
// every request needs the bearer token, and every body is checked field by field (protocol.ts) before anything runs.
import {timingSafeEqual} from 'node:crypto';
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {createServer as createTlsServer} from 'node:https';
import {OperationError, UsageError} from '../core/errors.js';
import {bind, setOutbound, unbind} from '../provision/apps.js';
import type {Context} from '../provision/context.js';
import {agentToken, TOKEN_MIN} from '../provision/credentials.js';
import {isLoopback} from '../provision/host.js';
import {inspectInterfaces, pingFrom} from '../provision/inspect.js';
import {appDetail, auditLog, explainIn} from '../provision/reads.js';
import {message} from '../provision/operation.js';
import {previewBind, previewOutbound} from '../provision/preview.js';
import {snapshot} from '../provision/snapshot.js';
import {editTarget, previewTargetEdit} from '../provision/targets.js';
import {API, BODIES, BODY_MAX, bodyProblem, type Endpoint, LOG_MAX} from './protocol.js';

export type ApiOptions = {
	readonly port: number;
	readonly address?: string;
	/** key and certificate (PEM): serve HTTPS; without them only a loopback address is served (plain HTTP) */
	readonly tls?: {readonly key: string; readonly cert: string};
	readonly health: () => unknown;
	/** one line per server event (listening); requests are reported through `onRequest` */
	readonly log: (line: string) => void;
	/** after each request: method, path (no query), status and duration; never the body or a header */
	readonly onRequest?: (r: {method: string; path: string; status: number; ms: number; remote: string}) => void;
};

type Body = Record<string, unknown>;
const ENDPOINTS = Object.entries(API) as Array<[Endpoint, (typeof API)[Endpoint]]>;

async function post(ctx: Context, endpoint: keyof typeof BODIES, body: Body): Promise<unknown> {
	const dryRun = body.dryRun === true;
	const s = (k: string) => body[k] as string;
	if (endpoint === 'targets') {
		const direction = (body.direction ?? 'both') as string;
		if (direction !== 'both' && direction !== 'import' && direction !== 'export') throw new UsageError(`invalid direction '${direction}': both, import or export`);
		const edit = {network: s('network'), rt: s('rt'), direction, remove: body.remove === true} as const;
		// what `rt add|del --dry-run --json` prints: the routing diff, nothing changed
		if (dryRun) return {applied: false, ...previewTargetEdit(ctx, edit)};
		const r = await editTarget(ctx, edit);
		return {applied: true, rt: r.result.rt, ...r.diff};
	}
	if (endpoint === 'bind') {
		const command = body.command as string[] | undefined;
		const req = {app: s('app'), network: s('network'), ...(body.outbound ? {outbound: s('outbound')} : {}), ...(body.ip ? {address: s('ip')} : {}), ...(command?.length ? {command} : {})};
		if (dryRun) return {applied: false, ...previewBind(ctx, req)};
		const r = await bind(ctx, req);
		return {applied: true, ok: true, pid: r.pid ?? null, ifaces: r.ifaces};
	}
	if (endpoint === 'unbind') {
		await unbind(ctx, s('app'));
		return {ok: true};
	}
	if (endpoint === 'outbound') {
		const network = body.network ? s('network') : undefined;
		if (dryRun) return {applied: false, ...previewOutbound(ctx, s('app'), network)};
		const r = await setOutbound(ctx, s('app'), network);
		return r.unchanged ? {applied: true, unchanged: true} : {applied: true, unchanged: false, diff: r.diff};
	}
	return pingFrom(ctx, s('app'), s('target'));
}

async function get(ctx: Context, endpoint: Endpoint, url: URL, health: () => unknown): Promise<unknown> {
	const q = (k: string) => url.searchParams.get(k) ?? undefined;
	if (endpoint === 'health') return health();
	if (endpoint === 'snapshot') return snapshot(ctx);
	if (endpoint === 'log') {
		const limit = Number(q('limit') ?? '200');
		if (!Number.isInteger(limit) || limit < 1 || limit > LOG_MAX) throw new UsageError(`invalid limit '${q('limit')}': 1-${LOG_MAX}`);
		return auditLog(ctx, limit);
	}
	if (endpoint === 'ifaces') {
		const app = q('app');
		if (app === undefined) return {ifaces: await inspectInterfaces(ctx)};
		const {ifaces, routes} = await appDetail(ctx, app);
		return {ifaces, routes};
	}
	const network = q('network');
	const prefix = q('prefix');
	if (!network || !prefix) throw new UsageError('explain needs ?network=NET&prefix=PREFIX');
	return explainIn(ctx, network, prefix);
}

async function readBody(req: IncomingMessage): Promise<Body | {status: number; error: string}> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const c of req) {
		size += (c as Buffer).length;
		if (size > BODY_MAX) return {status: 413, error: 'request body over 1 MiB'};
		chunks.push(c as Buffer);
	}
	let body: unknown;
	try {
		body = JSON.parse(Buffer.concat(chunks).toString() || '{}');
	} catch {
		return {status: 400, error: 'request body is not JSON'};
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return {status: 400, error: 'request body must be a JSON object'};
	return body as Body;
}

function authorized(req: IncomingMessage, token: Buffer): boolean {
	const given = Buffer.from(/^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
	return token.length >= TOKEN_MIN && given.length === token.length && timingSafeEqual(given, token);
}

async function handle(ctx: Context, o: ApiOptions, token: Buffer, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const t0 = performance.now();
	const url = new URL(req.url ?? '/', 'http://agent');
	const send = (status: number, body: unknown) => {
		res.writeHead(status, {'content-type': 'application/json'});
		res.end(JSON.stringify(body));
		o.onRequest?.({method: req.method ?? '?', path: url.pathname, status, ms: Math.round(performance.now() - t0), remote: req.socket.remoteAddress ?? '?'});
	};
	if (!authorized(req, token)) return send(401, {error: 'missing or wrong bearer token'});
	try {
		const found = ENDPOINTS.find(([, e]) => e.path === url.pathname);
		if (!found) return send(404, {error: `no such endpoint ${req.method} ${url.pathname}`});
		const [endpoint, spec] = found;
		if (req.method !== spec.method) return send(405, {error: `${url.pathname} takes ${spec.method}`});
		if (spec.method === 'GET') return send(200, await get(ctx, endpoint, url, o.health));
		const body = await readBody(req);
		if ('status' in body && 'error' in body && typeof body.status === 'number') return send(body.status, {error: body.error});
		const fields = BODIES[endpoint as keyof typeof BODIES];
		const problem = bodyProblem(fields, body);
		if (problem) return send(400, {error: `${url.pathname}: ${problem}`});
		return send(200, await post(ctx, endpoint as keyof typeof BODIES, body));
	} catch (e) {
		return send(e instanceof UsageError ? 400 : 500, {error: message(e)});
	}
}

/**
 * Starts the API on ADDRESS:PORT (default loopback, plain HTTP); with `tls`, HTTPS. Plain HTTP is refused anywhere but
 * loopback. Resolves once it listens. The token is read (and checked) now: an empty or short one refuses to start.
 */
export function serveApi(ctx: Context, o: ApiOptions): Promise<Server> {
	const token = Buffer.from(agentToken(ctx.dir));
	const address = o.address ?? '127.0.0.1';
	if (!o.tls && !isLoopback(address)) throw new OperationError(`refusing plain HTTP on ${address}: only loopback is served without TLS`);
	const handler = (req: IncomingMessage, res: ServerResponse) => void handle(ctx, o, token, req, res);
	const server: Server = o.tls ? createTlsServer({key: o.tls.key, cert: o.tls.cert, minVersion: 'TLSv1.2'}, handler) : createServer(handler);
	return new Promise((resolve, reject) => {
		server.once('error', e => reject(new OperationError(`agent API on ${address}:${o.port}: ${message(e)}`)));
		server.listen(o.port, address, () => {
			o.log(`API on ${o.tls ? 'https' : 'http'}://${address}:${(server.address() as {port: number}).port}/v1`);
			resolve(server);
		});
	});
}
