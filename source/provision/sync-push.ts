// What this host gave its gobgpd (its VRFs and app paths), and pushing the difference to what intent wants now.
// gobgpd keeps nothing across a restart, so after every (re)connection what it holds of ours is read back and all
// of it pushed again.
import type {RouteTarget} from '../core/rt.js';
import {type GobgpState, pathKey, pathSig, vrfSig} from '../control/export.js';
import type {Gobgp, LocalPath, VrfSpec} from '../control/gobgp.js';
import {pool} from '../dataplane/pool.js';

/** The VRF that holds, during a VRF's delete + add, the route-target memberships that survive the edit. */
const PIN = '~nsdeck-pin';

export type Pushed = {readonly pathsAdded: number; readonly pathsRemoved: number; readonly vrfsAdded: number; readonly vrfsRemoved: number};

export class GobgpPush {
	/** VRF name -> its signature ('?' when read back: pushed again whatever it holds) */
	private vrfs = new Map<string, string>();
	private vrfSpecs = new Map<string, VrfSpec>();
	private paths = new Map<string, LocalPath>();
	/** paths read back from gobgpd after a reconnection, pushed again whatever they hold */
	private stale = new Set<string>();

	constructor(private readonly g: Gobgp, private readonly vtep: string) {}

	get pathCount(): number {
		return this.paths.size;
	}

	get vrfCount(): number {
		return this.vrfs.size;
	}

	/** After a (re)connection: what gobgpd holds of ours, with the targets it was announced with, to push again. */
	async readBack(): Promise<{vrfs: number; paths: number}> {
		const vrfs = await this.g.listVrfs();
		const paths = (await this.g.listPaths()).filter(p => p.nexthop === this.vtep);
		this.vrfs = new Map(vrfs.filter(v => v !== PIN).map(v => [v, '?']));
		this.vrfSpecs = new Map();
		if (vrfs.includes(PIN)) await this.g.deleteVrf(PIN).catch(() => undefined);
		this.paths = new Map(paths.map(p => [pathKey(p), {rd: p.rd, prefix: p.prefix, label: p.label, nexthop: p.nexthop, targets: p.targets}]));
		this.stale = new Set(this.paths.keys());
		return {vrfs: vrfs.length, paths: paths.length};
	}

	/** Pushes the difference between what is wanted and what gobgpd was given; undefined when there is none. */
	async push(want: GobgpState): Promise<Pushed | undefined> {
		const g = this.g;
		const vrfDel: string[] = [];
		const vrfAdd: VrfSpec[] = [];
		for (const [name, sig] of this.vrfs) {
			const w = want.vrfs.get(name);
			if (!w || vrfSig(w) !== sig) vrfDel.push(name);
		}
		for (const [name, v] of want.vrfs) if (this.vrfs.get(name) !== vrfSig(v)) vrfAdd.push(v);
		const pathDel = [...this.paths].filter(([k]) => !want.paths.has(k)).map(([, p]) => p);
		const pathAdd = [...want.paths].filter(([k, p]) => {
			const had = this.paths.get(k);
			return !had || this.stale.has(k) || pathSig(had) !== pathSig(p);
		}).map(([, p]) => p);
		if (vrfDel.length + vrfAdd.length + pathDel.length + pathAdd.length === 0) return undefined;
		// paths first: an export-target edit re-adds the same RD:prefix (an implicit replace). Under the route-target
		// constraint a replace reaches only members of its new targets, so when a target goes the path is withdrawn
		// with its old targets first (importers of the remaining ones see withdraw + add within a millisecond, which
		// their agents hold back as one change: see BgpSync.onEvent)
		await pool(pathAdd, 64, async p => {
			const had = this.paths.get(pathKey(p));
			if (had && had.targets.some(t => !p.targets.includes(t))) await g.deletePath(had);
			await g.addPath(p);
			this.paths.set(pathKey(p), p);
			this.stale.delete(pathKey(p));
		});
		await pool(pathDel, 64, async p => {
			await g.deletePath(p);
			this.paths.delete(pathKey(p));
		});
		// gobgpd has no VRF update: an import edit is delete + add, and a deletion withdraws the route-target
		// memberships (RFC 4684) no other VRF holds; so a pin VRF holds the ones that survive the edit meanwhile, and
		// the route reflector never takes back routes this host still imports
		const keep = new Set<RouteTarget>();
		for (const name of vrfDel) {
			const now = want.vrfs.get(name);
			for (const rt of this.vrfSpecs.get(name)?.importRts ?? []) if (now?.importRts.includes(rt)) keep.add(rt);
		}
		if (keep.size > 0) await g.addVrf({name: PIN, rd: `${this.vtep}:65535`, importRts: [...keep].sort(), exportRts: []}).catch(() => undefined);
		await pool(vrfDel, 16, async name => {
			await g.deleteVrf(name).catch(() => undefined);
			this.vrfs.delete(name);
			this.vrfSpecs.delete(name);
		});
		await pool(vrfAdd, 16, async v => {
			await g.addVrf(v);
			this.vrfs.set(v.name, vrfSig(v));
			this.vrfSpecs.set(v.name, v);
		});
		if (keep.size > 0) await g.deleteVrf(PIN).catch(() => undefined);
		return {pathsAdded: pathAdd.length, pathsRemoved: pathDel.length, vrfsAdded: vrfAdd.length, vrfsRemoved: vrfDel.length};
	}
}
