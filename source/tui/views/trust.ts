// Drift and foreign state as the core reports them: every difference between intent and kernel (what reconcile would
// change), and kernel state nsdeck did not put there. Read defensively: a snapshot from an older agent has neither
// list, and the console then counts the apps' own drift.
import type {DriftItem, ForeignItem, Snapshot} from '../../provision/snapshot.js';

export type {DriftItem, ForeignItem};

export function driftOf(s: Snapshot): readonly DriftItem[] | undefined {
	return (s as Partial<Snapshot>).drift;
}

export function foreignOf(s: Snapshot): readonly ForeignItem[] {
	return (s as Partial<Snapshot>).foreign ?? [];
}

/** How many differences the header shows: the core's drift list, else every app's drift and every stray route. */
export function driftCount(s: Snapshot): number {
	return driftOf(s)?.length ?? s.apps.reduce((n, a) => n + a.drift.length, 0) + s.stray.length;
}

/** One drift item as a line: the core's own words. */
export function driftText(d: DriftItem): string {
	return d.detail || `${d.kind} ${d.object}: expected ${d.expected || '-'}, seen ${d.seen || '-'}`;
}

/** The drift of one VRF: the items the core ties to its network. */
export function driftIn(s: Snapshot, network: string): DriftItem[] {
	return (driftOf(s) ?? []).filter(d => d.network === network);
}

/** Foreign routes of a VRF's kernel table (`table T DST`), with their destination. */
export function foreignRoutes(s: Snapshot, network: string, table: string): Array<ForeignItem & {dst: string}> {
	return foreignOf(s)
		.filter(f => f.kind === 'route' && (f.network === network || f.object.startsWith(`table ${table} `)))
		.map(f => ({...f, dst: f.object.split(/\s+/).at(-1)!}));
}
