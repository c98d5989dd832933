// Drift and foreign state as the core reports them (issue "Trust on a real host"): every difference between intent
// and kernel, and kernel state nsdeck did not put there. Read defensively: a snapshot from an older core (another
// host's agent, say) has neither list, and the console then counts the apps' own drift.
import type {Snapshot} from '../../provision/snapshot.js';

export type DriftItem = {readonly kind: string; readonly object: string; readonly expected: string; readonly seen: string};
export type ForeignItem = {readonly kind: string; readonly namespace: string; readonly object: string; readonly detail: string};

type Trusted = {readonly drift?: readonly DriftItem[]; readonly foreign?: readonly ForeignItem[]};

export function driftOf(s: Snapshot): readonly DriftItem[] | undefined {
	return (s as Snapshot & Trusted).drift;
}

export function foreignOf(s: Snapshot): readonly ForeignItem[] {
	return (s as Snapshot & Trusted).foreign ?? [];
}

/** How many differences the header shows: the core's drift list, else every app's drift and every stray route. */
export function driftCount(s: Snapshot): number {
	return driftOf(s)?.length ?? s.apps.reduce((n, a) => n + a.drift.length, 0) + s.stray.length;
}

/** One drift item as a line. */
export function driftText(d: DriftItem): string {
	return `${d.kind} ${d.object}: expected ${d.expected || '-'}, seen ${d.seen || '-'}`;
}

/** Whether a drift or foreign item concerns a VRF: it names the network or its kernel table. */
export function concerns(text: string, network: string, table: string): boolean {
	return new RegExp(`(^|[\\s(/'"])(${network.replace(/[.]/g, '\\.')}|table ${table})($|[\\s),'"])`).test(text);
}
