/**
 * Schema migrations, applied in order; PRAGMA user_version records how many ran. Append only: a shipped migration
 * never changes, so every store on every host reaches the same schema.
 */
export const MIGRATIONS: readonly string[] = [
	`
	CREATE TABLE networks (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		name TEXT NOT NULL UNIQUE,
		subnet TEXT NOT NULL,
		created_at TEXT NOT NULL
	);
	-- one row per (network, target): import-only is import=1 export=0; a row with neither cannot exist
	CREATE TABLE targets (
		network_id INTEGER NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
		rt TEXT NOT NULL,
		import INTEGER NOT NULL CHECK (import IN (0, 1)),
		export INTEGER NOT NULL CHECK (export IN (0, 1)),
		auto INTEGER NOT NULL DEFAULT 0 CHECK (auto IN (0, 1)),
		PRIMARY KEY (network_id, rt),
		CHECK (import = 1 OR export = 1)
	);
	CREATE TABLE apps (
		name TEXT PRIMARY KEY,
		kind TEXT NOT NULL CHECK (kind IN ('netns', 'attached')),
		pid INTEGER,
		pid_start TEXT,
		command TEXT,
		created_at TEXT NOT NULL
	);
	-- an interface row is the address lease: UNIQUE(network_id, address) makes a duplicate address impossible
	CREATE TABLE ifaces (
		app TEXT NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
		role TEXT NOT NULL CHECK (role IN ('in', 'out')),
		network_id INTEGER NOT NULL REFERENCES networks(id),
		address INTEGER NOT NULL,
		PRIMARY KEY (app, role),
		UNIQUE (network_id, address)
	);
	CREATE TABLE external_routes (
		prefix TEXT PRIMARY KEY,
		via TEXT NOT NULL,
		targets TEXT NOT NULL,
		created_at TEXT NOT NULL
	);
	-- namespaces nsdeck made (or linked), written before the kernel change, so reconcile removes only its own
	CREATE TABLE owned_netns (
		name TEXT PRIMARY KEY,
		kind TEXT NOT NULL CHECK (kind IN ('netns', 'link'))
	);
	CREATE TABLE audit (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		at TEXT NOT NULL,
		user TEXT NOT NULL,
		op TEXT NOT NULL,
		args TEXT NOT NULL,
		result TEXT NOT NULL,
		detail TEXT
	);
	`,
	// multi-host (control gobgp): this host's settings, each network's VNI and address block, routes of other hosts
	`
	ALTER TABLE networks ADD COLUMN vni INTEGER;
	ALTER TABLE networks ADD COLUMN block TEXT;
	CREATE UNIQUE INDEX networks_vni ON networks (vni) WHERE vni IS NOT NULL;
	CREATE TABLE host (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		name TEXT NOT NULL,
		vtep TEXT NOT NULL,
		underlay_ns TEXT,
		gobgp TEXT,
		control TEXT NOT NULL DEFAULT 'local' CHECK (control IN ('local', 'gobgp')),
		agent_port INTEGER
	);
	-- VPNv4 paths other hosts originate, as the agent last read them from gobgpd
	CREATE TABLE remote_routes (
		rd TEXT NOT NULL,
		prefix TEXT NOT NULL,
		nexthop TEXT NOT NULL,
		label INTEGER NOT NULL,
		targets TEXT NOT NULL,
		host TEXT,
		PRIMARY KEY (rd, prefix)
	);
	`,
	// other hosts by VTEP, so a remote route says which host it came from
	`
	ALTER TABLE host ADD COLUMN peers TEXT NOT NULL DEFAULT '{}';
	`,
	// other hosts' agent APIs (name -> URL and token file), so a console here can switch to them
	`
	ALTER TABLE host ADD COLUMN agents TEXT NOT NULL DEFAULT '{}';
	`,
	// the store's identity (recorded on the vrouter it makes, so no other store converges it), and an id per app that
	// names its host interfaces when the app's name is too long for one: ids are never reused, so names never collide.
	// A network without a subnet (network-manage create without --subnet) has subnet ''.
	`
	CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
	INSERT INTO meta (key, value) VALUES ('store_id', lower(hex(randomblob(8))));
	CREATE TABLE app_ids (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		app TEXT NOT NULL UNIQUE REFERENCES apps(name) ON DELETE CASCADE
	);
	INSERT INTO app_ids (app) SELECT name FROM apps ORDER BY created_at, name;
	`,
	// BGP routers that are not nsdeck hosts (name -> next hop and label -> VNI); how a remote path was encapsulated
	// (a VXLAN encapsulation community: its label is a VNI) and which router originated it
	`
	ALTER TABLE host ADD COLUMN gateways TEXT NOT NULL DEFAULT '{}';
	ALTER TABLE remote_routes ADD COLUMN encap TEXT;
	ALTER TABLE remote_routes ADD COLUMN originator TEXT;
	`,
];
