// The agent's HTTP protocol, declared once: every path with its method, and the request and response bodies. The
// server (api.ts) and the client other hosts' consoles use (client.ts) both read it, so they cannot disagree.
import type {RoutingDiff} from '../core/diff.js';
import type {Explanation} from '../core/explain.js';
import type {InterfaceRow, NamespaceRoute, PingResult} from '../provision/inspect.js';
import type {OutboundPreview} from '../provision/preview.js';
import type {PeerInfo} from '../provision/sync.js';
import type {SyncHealth} from '../provision/sync-status.js';
import type {Snapshot} from '../provision/snapshot.js';
import type {TargetEdit} from '../provision/targets.js';
import type {AppIface, AuditEntry} from '../store/intent.js';

export const API = {
	health: {method: 'GET', path: '/v1/health'},
	snapshot: {method: 'GET', path: '/v1/snapshot'},
	log: {method: 'GET', path: '/v1/log'},
	ifaces: {method: 'GET', path: '/v1/ifaces'},
	explain: {method: 'GET', path: '/v1/explain'},
	bind: {method: 'POST', path: '/v1/bind'},
	unbind: {method: 'POST', path: '/v1/unbind'},
	outbound: {method: 'POST', path: '/v1/outbound'},
	targets: {method: 'POST', path: '/v1/targets'},
	ping: {method: 'POST', path: '/v1/ping'},
} as const;

export type Endpoint = keyof typeof API;

/** The most audit rows one `GET /v1/log?limit=N` returns. */
export const LOG_MAX = 2000;
/** The largest request body the agent reads. */
export const BODY_MAX = 1 << 20;

/** The kinds a body field may have; `?` marks an optional one. */
export type FieldKind = 'string' | 'string?' | 'boolean?' | 'strings?';

/**
 * Every POST body, field by field: the server refuses (400) a body with an unknown field, a missing one or one of
 * another kind, before anything runs; the client sends nothing else.
 */
export const BODIES = {
	bind: {app: 'string', network: 'string', outbound: 'string?', ip: 'string?', command: 'strings?', dryRun: 'boolean?'},
	unbind: {app: 'string'},
	outbound: {app: 'string', network: 'string?', dryRun: 'boolean?'},
	targets: {network: 'string', rt: 'string', direction: 'string?', remove: 'boolean?', dryRun: 'boolean?'},
	ping: {app: 'string', target: 'string'},
} as const satisfies Partial<Record<Endpoint, Record<string, FieldKind>>>;

/** Why a body does not fit its endpoint's fields, or undefined when it does. */
export function bodyProblem(fields: Readonly<Record<string, FieldKind>>, body: Record<string, unknown>): string | undefined {
	for (const key of Object.keys(body)) if (!(key in fields)) return `unknown field '${key}' (expected ${Object.keys(fields).join(', ')})`;
	for (const [key, kind] of Object.entries(fields)) {
		const v = body[key];
		if (v === undefined || v === null) {
			if (!kind.endsWith('?')) return `missing field '${key}'`;
			continue;
		}
		const base = kind.replace('?', '');
		const ok = base === 'strings' ? Array.isArray(v) && v.every(x => typeof x === 'string') : typeof v === base;
		if (!ok) return `field '${key}' must be ${base === 'strings' ? 'a list of strings' : `a ${base}`}, not ${Array.isArray(v) ? 'a list' : v === null ? 'null' : `a ${typeof v}`}`;
		if (base === 'string' && (v as string).length > 4096) return `field '${key}' is longer than 4096 characters`;
		// as the CLI refuses `--` with nothing after it: an empty command is not "no command"
		if (base === 'strings' && (v as unknown[]).length === 0) return `field '${key}' must not be empty (leave it out for none)`;
	}
	return undefined;
}

// Request bodies (POST). `dryRun` asks for the preview only: nothing changes.
export type BindBody = {app: string; network: string; outbound?: string; ip?: string; command?: string[]; dryRun?: boolean};
export type UnbindBody = {app: string};
export type OutboundBody = {app: string; network?: string; dryRun?: boolean};
export type TargetBody = TargetEdit & {dryRun?: boolean};
export type PingBody = {app: string; target: string};

// Responses.
/** One BGP session of the host's gobgpd: neighbor, state, since when, the VPNv4 paths received and accepted. */
export type Session = PeerInfo;
/**
 * The agent's own state: `gobgp` (its gobgpd answers), its BGP sessions, and the sync: what was pushed, the routes
 * learned, whether everything is applied (`sync.inSync`), the last push and converge; where its API listens and the
 * fingerprint of its certificate.
 */
export type Health = {
	host: unknown;
	gobgp: boolean;
	pushedPaths: number;
	pushedVrfs: number;
	remotes: number;
	stats: Record<string, number>;
	sessions?: Session[];
	sync?: SyncHealth;
	api?: {https: string | null; http: string | null; fingerprint: string | null};
};
export type IfacesAll = {ifaces: InterfaceRow[]};
export type IfacesOfApp = {ifaces: InterfaceRow[]; routes: NamespaceRoute[]};
export type BindPreview = RoutingDiff & {readonly addresses: Readonly<Record<string, string>>};
export type BindDone = {applied: true; ok: true; pid: number | null; ifaces: AppIface[]};
export type OutboundDone = {applied: true; unchanged: boolean; diff?: RoutingDiff};
export type TargetPreview = RoutingDiff & {readonly rt: string};
export type TargetDone = RoutingDiff & {applied: true; rt: string};
export type Responses = {
	health: Health;
	snapshot: Snapshot;
	log: AuditEntry[];
	explain: Explanation;
	ping: PingResult;
	unbind: {ok: true};
};
export type {OutboundPreview};
/** An error answer: 400 for bad input (the CLI's exit 2), 401 without a valid token, 404, 413, 500. */
export type ErrorBody = {error: string};
