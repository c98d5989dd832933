// The HTTP API an agent serves to consoles on other hosts: the host's snapshot, audit log and interfaces, and the
// console's actions (with dry runs for their previews). Loopback by default; every request needs the bearer token.
import {timingSafeEqual} from 'node:crypto';
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {UsageError} from '../core/errors.js';
import {bind, setOutbound, unbind} from '../provision/apps.js';
import type {Context} from '../provision/context.js';
import {agentToken, agentTokenPath} from '../provision/host.js';
import {inspectInterfaces, pingFrom} from '../provision/inspect.js';
import {appDetail, auditLog, explainIn} from '../provision/reads.js';
import {message} from '../provision/operation.js';
import {previewBind, previewOutbound} from '../provision/preview.js';
import {snapshot} from '../provision/snapshot.js';
import {editTarget, previewTargetEdit, type TargetEdit} from '../provision/targets.js';
import {API, BODY_MAX, LOG_MAX} from './protocol.js';

export type ApiOptions = {readonly port: number; readonly address?: string; readonly health: () => unknown; readonly log: (line: string) => void};


function str(v: unknown): string {
	return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

/** A target edit from a request body, the same fields as `rt add|del`. */
function targetEdit(body: Record<string, unknown>): TargetEdit {
	const direction = body.direction ?? 'both';
	if (direction !== 'both' && direction !== 'import' && direction !== 'export') throw new UsageError(`invalid direction '${str(direction)}': both, import or export`);
	return {network: str(body.network), rt: str(body.rt), direction, remove: Boolean(body.remove)};
}

async function post(ctx: Context, path: string, body: Record<string, unknown>): Promise<unknown> {
	const dryRun = Boolean(body.dryRun);
	if (path === API.targets.path) {
		const edit = targetEdit(body);
		// what `rt add|del --dry-run --json` prints: the routing diff, nothing changed
		if (dryRun) return {applied: false, ...previewTargetEdit(ctx, edit)};
		const r = await editTarget(ctx, edit);
		return {applied: true, rt: r.result.rt, ...r.diff};
	}
	if (path === API.bind.path) {
		const command = Array.isArray(body.command) ? body.command.map(str) : undefined;
		const req = {app: str(body.app), network: str(body.network), ...(body.outbound ? {outbound: str(body.outbound)} : {}), ...(body.ip ? {address: str(body.ip)} : {}), ...(command?.length ? {command} : {})};
		if (dryRun) return {applied: false, ...previewBind(ctx, req)};
		const r = await bind(ctx, req);
		return {applied: true, ok: true, pid: r.pid ?? null, ifaces: r.ifaces};
	}
	if (path === API.unbind.path) {
		await unbind(ctx, str(body.app));
		return {ok: true};
	}
	if (path === API.outbound.path) {
		const network = body.network ? str(body.network) : undefined;
		if (dryRun) return {applied: false, ...previewOutbound(ctx, str(body.app), network)};
		const r = await setOutbound(ctx, str(body.app), network);
		return r.unchanged ? {applied: true, unchanged: true} : {applied: true, unchanged: false, diff: r.diff};
	}
	if (path === API.ping.path) return pingFrom(ctx, str(body.app), str(body.target));
	return undefined;
}

async function get(ctx: Context, url: URL, health: () => unknown): Promise<unknown> {
	const q = (k: string) => url.searchParams.get(k) ?? undefined;
	if (url.pathname === API.health.path) return health();
	if (url.pathname === API.snapshot.path) return snapshot(ctx);
	if (url.pathname === API.log.path) {
		const limit = Number(q('limit') ?? '200');
		if (!Number.isInteger(limit) || limit < 1 || limit > LOG_MAX) throw new UsageError(`invalid limit '${q('limit')}': 1-${LOG_MAX}`);
		return auditLog(ctx, limit);
	}
	if (url.pathname === API.ifaces.path) {
		const app = q('app');
		if (app === undefined) return {ifaces: await inspectInterfaces(ctx)};
		const {ifaces, routes} = await appDetail(ctx, app);
		return {ifaces, routes};
	}
	if (url.pathname === API.explain.path) return explainIn(ctx, q('network') ?? '', q('prefix') ?? '');
	return undefined;
}

async function handle(ctx: Context, o: ApiOptions, token: Buffer, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const send = (code: number, body: unknown) => {
		res.writeHead(code, {'content-type': 'application/json'});
		res.end(JSON.stringify(body));
	};
	const given = Buffer.from(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
	if (given.length !== token.length || !timingSafeEqual(given, token)) return send(401, {error: 'missing or wrong bearer token'});
	try {
		const url = new URL(req.url ?? '/', 'http://agent');
		let out: unknown;
		if (req.method === 'GET') out = await get(ctx, url, o.health);
		else if (req.method === 'POST') {
			const chunks: Buffer[] = [];
			let size = 0;
			for await (const c of req) {
				size += (c as Buffer).length;
				if (size > BODY_MAX) return send(413, {error: 'request body over 1 MiB'});
				chunks.push(c as Buffer);
			}
			let body: Record<string, unknown>;
			try {
				body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>;
			} catch {
				return send(400, {error: 'request body is not JSON'});
			}
			if (typeof body !== 'object' || body === null || Array.isArray(body)) return send(400, {error: 'request body must be a JSON object'});
			o.log(`API ${url.pathname} ${JSON.stringify(body)}`);
			out = await post(ctx, url.pathname, body);
		}
		if (out === undefined) return send(404, {error: `no such endpoint ${req.method} ${url.pathname}`});
		return send(200, out);
	} catch (e) {
		return send(e instanceof UsageError ? 400 : 500, {error: message(e)});
	}
}

/** Starts the API on ADDRESS:PORT (NSDECK_AGENT_ADDRESS, default loopback); resolves once it listens. */
export function serveApi(ctx: Context, o: ApiOptions): Promise<Server> {
	const token = Buffer.from(agentToken(ctx.dir));
	const address = o.address ?? process.env.NSDECK_AGENT_ADDRESS ?? '127.0.0.1';
	const server = createServer((req, res) => void handle(ctx, o, token, req, res));
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(o.port, address, () => {
			o.log(`API on http://${address}:${o.port}/v1 (bearer token in ${agentTokenPath(ctx.dir)})`);
			resolve(server);
		});
	});
}
