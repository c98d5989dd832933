// The agent's HTTP protocol, declared once: every path with its method, and the request and response bodies. The
// server (api.ts) and the client other hosts' consoles use (client.ts) both read it, so they cannot disagree.
import type {RoutingDiff} from '../core/diff.js';
import type {Explanation} from '../core/explain.js';
import type {InterfaceRow, NamespaceRoute, PingResult} from '../provision/inspect.js';
import type {OutboundPreview} from '../provision/preview.js';
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

// Request bodies (POST). `dryRun` asks for the preview only: nothing changes.
export type BindBody = {app: string; network: string; outbound?: string; ip?: string; command?: string[]; dryRun?: boolean};
export type UnbindBody = {app: string};
export type OutboundBody = {app: string; network?: string; dryRun?: boolean};
export type TargetBody = TargetEdit & {dryRun?: boolean};
export type PingBody = {app: string; target: string};

// Responses.
export type Health = {host: unknown; gobgp: boolean; pushedPaths: number; pushedVrfs: number; remotes: number; stats: Record<string, number>};
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
