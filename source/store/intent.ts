import {userInfo} from 'node:os';
import {createStore, StoreError, type Db, type Opened, type StoreState} from './open.js';
import type {ExternalRoute, Membership, RemoteRoute, Role, TargetEntry} from '../core/model.js';
import {deriveVni} from '../core/overlay.js';
import type {RouteTarget} from '../core/rt.js';
import {formatIpv4} from '../core/ipv4.js';

export type Network = {
	readonly id: number;
	readonly name: string;
	/** null: made without one (network-manage create NAME): binds into it wait for `net set NAME --subnet` */
	readonly subnet: string | null;
	readonly createdAt: string;
	readonly targets: readonly TargetEntry[];
	/** VXLAN network identifier (the BGP label of its routes) */
	readonly vni: number;
	/** where this host hands out addresses: the whole subnet unless told */
	readonly block: string | null;
};

/** This host among many (control gobgp); absent on a single host. */
export type HostSettings = {
	readonly name: string;
	readonly vtep: string;
	/** the namespace whose sockets carry VXLAN (an emulated host's underlay); undefined = the root namespace */
	readonly underlayNs?: string;
	/** gobgpd's gRPC API, host:port */
	readonly gobgp?: string;
	readonly control: 'local' | 'gobgp';
	readonly agentPort?: number;
	/** other hosts: VTEP -> host name */
	readonly peers?: Readonly<Record<string, string>>;
	/** other hosts' agent APIs: host name -> where it listens and the file holding its bearer token */
	readonly agents?: Readonly<Record<string, AgentRef>>;
	/** BGP routers that are not nsdeck hosts (a site's gateway): name -> next hop and label -> VNI */
	readonly gateways?: Readonly<Record<string, GatewayRef>>;
};

/** Another host's agent: its URL, a copy of its token, and (https) the pinned SHA-256 fingerprint of its certificate. */
export type AgentRef = {readonly url: string; readonly tokenFile: string; readonly fingerprint?: string};

/** A router that is not an nsdeck host: its next hop (VXLAN endpoint) and the VNI each VPN label it announces stands for. */
export type GatewayRef = {readonly address: string; readonly vnis: Readonly<Record<string, number>>};

export type AppIface = {readonly role: Role; readonly network: string; readonly address: string};

export type App = {
	readonly name: string;
	/** the store's id of the app: names its host interfaces when its name is too long for them */
	readonly ifid: number;
	/** netns: a namespace nsdeck made; attached: a running process's namespace, linked under /run/netns. */
	readonly kind: 'netns' | 'attached';
	readonly pid?: number;
	readonly pidStart?: string;
	readonly command?: readonly string[];
	readonly ifaces: readonly AppIface[];
	readonly createdAt: string;
};

export type Owned = {readonly name: string; readonly kind: 'netns' | 'link'};

export type Intent = {
	readonly networks: readonly Network[];
	readonly apps: readonly App[];
	readonly externals: readonly ExternalRoute[];
	readonly owned: readonly Owned[];
	readonly host?: HostSettings;
	readonly remotes: readonly RemoteRoute[];
};

export type AuditEntry = {
	readonly id: number;
	readonly at: string;
	readonly user: string;
	readonly op: string;
	readonly args: string;
	readonly result: 'ok' | 'error' | 'pending';
	readonly detail: string | null;
};

type TargetRow = {network_id: number; rt: string; import: number; export: number; auto: number};

function entry(row: TargetRow): TargetEntry {
	const m = (row.import && row.export ? {import: true, export: true} : row.import ? {import: true, export: false} : {import: false, export: true}) as Membership;
	return {rt: row.rt as RouteTarget, auto: row.auto === 1, ...m};
}

function now(): string {
	return new Date().toISOString();
}

function whoami(): string {
	const sudo = process.env.SUDO_USER;
	let user = 'unknown';
	try {
		user = userInfo().username;
	} catch {}
	return sudo && sudo !== user ? `${user} (sudo by ${sudo})` : user;
}

/** The intent store: what the operator asked for. The kernel is made to match it, never the other way round. */
export class Store {
	private current: Db;
	private mode: StoreState;
	readonly path: string;

	constructor(opened: Opened, private readonly dir: string) {
		this.current = opened.db;
		this.mode = opened.state;
		this.path = opened.path;
	}

	get db(): Db {
		return this.current;
	}

	get state(): StoreState {
		return this.mode;
	}

	/** The store's identity, recorded on the vrouter it makes. */
	id(): string {
		return (this.db.prepare("SELECT value FROM meta WHERE key = 'store_id'").pluck().get() as string | undefined) ?? '';
	}

	/** Before the first write: a missing store is created (whole, at once); a read-only one refuses. */
	writable(): void {
		if (this.mode === 'readonly') throw new StoreError(`store ${this.path} is read-only: nothing was changed`);
		if (this.mode !== 'missing') return;
		const opened = createStore(this.dir);
		this.current.close();
		this.current = opened.db;
		this.mode = opened.state;
	}

	close(): void {
		this.current.close();
	}

	/** One write transaction, taken at once (IMMEDIATE) so concurrent writers queue instead of failing mid-way. */
	tx<T>(fn: () => T): T {
		this.writable();
		return this.db.transaction(fn).immediate();
	}

	load(): Intent {
		const nets = this.db.prepare('SELECT id, name, subnet, created_at, vni, block FROM networks ORDER BY name').all() as Array<{id: number; name: string; subnet: string; created_at: string; vni: number | null; block: string | null}>;
		const targets = new Map<number, TargetEntry[]>();
		for (const row of this.db.prepare('SELECT * FROM targets ORDER BY auto DESC, rt').all() as TargetRow[]) {
			const list = targets.get(row.network_id) ?? [];
			list.push(entry(row));
			targets.set(row.network_id, list);
		}
		// a network without a subnet is stored with subnet '' (the column is NOT NULL since the first schema)
		const networks = nets.map(n => ({id: n.id, name: n.name, subnet: n.subnet || null, createdAt: n.created_at, targets: targets.get(n.id) ?? [], vni: n.vni ?? deriveVni(n.name), block: n.block ?? (n.subnet || null)}));
		const netName = new Map(networks.map(n => [n.id, n.name]));
		const ifaces = new Map<string, AppIface[]>();
		for (const row of this.db.prepare('SELECT app, role, network_id, address FROM ifaces ORDER BY app, role').all() as Array<{app: string; role: Role; network_id: number; address: number}>) {
			const list = ifaces.get(row.app) ?? [];
			list.push({role: row.role, network: netName.get(row.network_id)!, address: formatIpv4(row.address)});
			ifaces.set(row.app, list);
		}
		const apps = (this.db.prepare('SELECT apps.*, app_ids.id AS ifid FROM apps JOIN app_ids ON app_ids.app = apps.name ORDER BY name').all() as Array<{name: string; ifid: number; kind: App['kind']; pid: number | null; pid_start: string | null; command: string | null; created_at: string}>).map(
			(row): App => ({
				name: row.name,
				ifid: row.ifid,
				kind: row.kind,
				...(row.pid === null ? {} : {pid: row.pid}),
				...(row.pid_start === null ? {} : {pidStart: row.pid_start}),
				...(row.command === null ? {} : {command: JSON.parse(row.command) as string[]}),
				ifaces: ifaces.get(row.name) ?? [],
				createdAt: row.created_at,
			}),
		);
		const externals = (this.db.prepare('SELECT prefix, via, targets FROM external_routes ORDER BY prefix').all() as Array<{prefix: string; via: string; targets: string}>).map(r => ({
			prefix: r.prefix,
			via: r.via,
			targets: JSON.parse(r.targets) as RouteTarget[],
		}));
		const owned = this.db.prepare('SELECT name, kind FROM owned_netns ORDER BY name').all() as Owned[];
		const host = this.host();
		return {networks, apps, externals, owned, ...(host ? {host} : {}), remotes: this.remotes()};
	}

	host(): HostSettings | undefined {
		const row = this.db.prepare('SELECT * FROM host WHERE id = 1').get() as
			| {name: string; vtep: string; underlay_ns: string | null; gobgp: string | null; control: 'local' | 'gobgp'; agent_port: number | null; peers: string; agents: string; gateways: string}
			| undefined;
		if (!row) return undefined;
		return {
			name: row.name,
			vtep: row.vtep,
			control: row.control,
			...(row.underlay_ns ? {underlayNs: row.underlay_ns} : {}),
			...(row.gobgp ? {gobgp: row.gobgp} : {}),
			...(row.agent_port ? {agentPort: row.agent_port} : {}),
			...(row.peers && row.peers !== '{}' ? {peers: JSON.parse(row.peers) as Record<string, string>} : {}),
			...(row.agents && row.agents !== '{}' ? {agents: JSON.parse(row.agents) as Record<string, AgentRef>} : {}),
			...(row.gateways && row.gateways !== '{}' ? {gateways: JSON.parse(row.gateways) as Record<string, GatewayRef>} : {}),
		};
	}

	setHost(h: HostSettings): void {
		this.db
			.prepare('INSERT OR REPLACE INTO host (id, name, vtep, underlay_ns, gobgp, control, agent_port, peers, agents, gateways) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
			.run(h.name, h.vtep, h.underlayNs ?? null, h.gobgp ?? null, h.control, h.agentPort ?? null, JSON.stringify(h.peers ?? {}), JSON.stringify(h.agents ?? {}), JSON.stringify(h.gateways ?? {}));
	}

	remotes(): RemoteRoute[] {
		type Row = {rd: string; prefix: string; nexthop: string; label: number; targets: string; host: string | null; encap: string | null; originator: string | null};
		return (this.db.prepare('SELECT * FROM remote_routes ORDER BY prefix, rd').all() as Row[]).map(r => ({
			prefix: r.prefix,
			rd: r.rd,
			nexthop: r.nexthop,
			label: r.label,
			targets: JSON.parse(r.targets) as RouteTarget[],
			...(r.host ? {host: r.host} : {}),
			...(r.encap === 'vxlan' ? {encap: 'vxlan' as const} : {}),
			...(r.originator ? {originator: r.originator} : {}),
		}));
	}

	/** Replaces the remote routes with the agent's current view; returns whether anything changed. */
	setRemotes(routes: readonly RemoteRoute[]): boolean {
		const key = (r: RemoteRoute) => `${r.rd} ${r.prefix} ${r.nexthop} ${r.label} ${r.targets.join(',')} ${r.host ?? ''} ${r.encap ?? ''} ${r.originator ?? ''}`;
		return this.tx(() => {
			const have = new Map(this.remotes().map(r => [`${r.rd} ${r.prefix}`, key(r)]));
			const want = new Map(routes.map(r => [`${r.rd} ${r.prefix}`, r]));
			let changed = false;
			const del = this.db.prepare('DELETE FROM remote_routes WHERE rd = ? AND prefix = ?');
			for (const k of have.keys()) {
				if (want.has(k)) continue;
				const [rd, prefix] = k.split(' ');
				del.run(rd, prefix);
				changed = true;
			}
			const put = this.db.prepare('INSERT OR REPLACE INTO remote_routes (rd, prefix, nexthop, label, targets, host, encap, originator) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
			for (const [k, r] of want) {
				if (have.get(k) === key(r)) continue;
				put.run(r.rd, r.prefix, r.nexthop, r.label, JSON.stringify(r.targets), r.host ?? null, r.encap ?? null, r.originator ?? null);
				changed = true;
			}
			return changed;
		});
	}

	networkId(name: string): number | undefined {
		return (this.db.prepare('SELECT id FROM networks WHERE name = ?').get(name) as {id: number} | undefined)?.id;
	}

	insertNetwork(name: string, subnet: string | null, vni?: number, block?: string): number {
		return Number(
			this.db.prepare('INSERT INTO networks (name, subnet, created_at, vni, block) VALUES (?, ?, ?, ?, ?)').run(name, subnet ?? '', now(), vni ?? null, block ?? null).lastInsertRowid,
		);
	}

	setSubnet(id: number, subnet: string, block?: string): void {
		this.db.prepare('UPDATE networks SET subnet = ?, block = ? WHERE id = ?').run(subnet, block ?? null, id);
	}

	deleteNetwork(id: number): void {
		this.db.prepare('DELETE FROM networks WHERE id = ?').run(id);
	}

	setTarget(networkId: number, rt: RouteTarget, m: Membership, auto = false): void {
		this.db
			.prepare('INSERT INTO targets (network_id, rt, import, export, auto) VALUES (?, ?, ?, ?, ?) ON CONFLICT (network_id, rt) DO UPDATE SET import = excluded.import, export = excluded.export')
			.run(networkId, rt, m.import ? 1 : 0, m.export ? 1 : 0, auto ? 1 : 0);
	}

	deleteTarget(networkId: number, rt: RouteTarget): void {
		this.db.prepare('DELETE FROM targets WHERE network_id = ? AND rt = ?').run(networkId, rt);
	}

	leased(networkId: number): Set<number> {
		return new Set((this.db.prepare('SELECT address FROM ifaces WHERE network_id = ?').pluck().all(networkId) as number[]));
	}

	appsOn(networkId: number): string[] {
		return this.db.prepare('SELECT DISTINCT app FROM ifaces WHERE network_id = ? ORDER BY app').pluck().all(networkId) as string[];
	}

	insertApp(app: {name: string; kind: App['kind']; pid?: number; pidStart?: string; command?: readonly string[]}): void {
		this.db
			.prepare('INSERT INTO apps (name, kind, pid, pid_start, command, created_at) VALUES (?, ?, ?, ?, ?, ?)')
			.run(app.name, app.kind, app.pid ?? null, app.pidStart ?? null, app.command ? JSON.stringify(app.command) : null, now());
		this.db.prepare('INSERT INTO app_ids (app) VALUES (?)').run(app.name);
	}

	setProcess(name: string, pid: number | undefined, pidStart: string | undefined): void {
		this.db.prepare('UPDATE apps SET pid = ?, pid_start = ? WHERE name = ?').run(pid ?? null, pidStart ?? null, name);
	}

	setCommand(name: string, command: readonly string[]): void {
		this.db.prepare('UPDATE apps SET command = ? WHERE name = ?').run(JSON.stringify(command), name);
	}

	hasApp(name: string): boolean {
		return this.db.prepare('SELECT 1 FROM apps WHERE name = ?').get(name) !== undefined;
	}

	deleteApp(name: string): void {
		this.db.prepare('DELETE FROM apps WHERE name = ?').run(name);
	}

	insertIface(app: string, role: Role, networkId: number, address: number): void {
		this.db.prepare('INSERT INTO ifaces (app, role, network_id, address) VALUES (?, ?, ?, ?)').run(app, role, networkId, address);
	}

	deleteIface(app: string, role: Role): void {
		this.db.prepare('DELETE FROM ifaces WHERE app = ? AND role = ?').run(app, role);
	}

	upsertExternal(route: ExternalRoute): void {
		this.db
			.prepare('INSERT INTO external_routes (prefix, via, targets, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (prefix) DO UPDATE SET via = excluded.via, targets = excluded.targets')
			.run(route.prefix, route.via, JSON.stringify(route.targets), now());
	}

	deleteExternal(prefix: string): boolean {
		return this.db.prepare('DELETE FROM external_routes WHERE prefix = ?').run(prefix).changes > 0;
	}

	own(name: string, kind: Owned['kind']): void {
		this.db.prepare('INSERT OR REPLACE INTO owned_netns (name, kind) VALUES (?, ?)').run(name, kind);
	}

	disown(name: string): void {
		this.db.prepare('DELETE FROM owned_netns WHERE name = ?').run(name);
	}

	audit(op: string, args: unknown, result: AuditEntry['result'], detail?: string): number {
		return Number(
			this.db
				.prepare('INSERT INTO audit (at, user, op, args, result, detail) VALUES (?, ?, ?, ?, ?, ?)')
				.run(now(), whoami(), op, JSON.stringify(args), result, detail ?? null).lastInsertRowid,
		);
	}

	finishAudit(id: number, result: 'ok' | 'error', detail?: string): void {
		this.db.prepare('UPDATE audit SET result = ?, detail = coalesce(?, detail) WHERE id = ?').run(result, detail ?? null, id);
	}

	auditLog(limit = 200): AuditEntry[] {
		return this.db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?').all(limit) as AuditEntry[];
	}
}
