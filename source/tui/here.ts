// What the keys act on: the thing the selected row shows (its typed reference), or the view's own subject.
import type {Ctl} from './ctl.js';

export function appHere(c: Ctl): string | undefined {
	const v = c.top.view;
	if (v.id === 'app') return v.arg;
	const ref = c.selectedRow()?.ref;
	if (ref?.kind === 'app') return ref.app;
	if (ref?.kind === 'iface') return ref.app;
	return undefined;
}

export function networkHere(c: Ctl): string | undefined {
	const v = c.top.view;
	if (v.id === 'routes') return v.arg;
	const ref = c.selectedRow()?.ref;
	if (!ref) return undefined;
	if (ref.kind === 'network' || ref.kind === 'target' || ref.kind === 'route') return ref.network;
	if (ref.kind === 'app') return c.data?.snap.apps.find(a => a.name === ref.app)?.ifaces.find(i => i.role === 'in')?.network;
	return undefined;
}

export function routeHere(c: Ctl): {network: string; prefix: string} | undefined {
	const ref = c.selectedRow()?.ref;
	return ref?.kind === 'route' ? {network: ref.network, prefix: ref.prefix} : undefined;
}

/** The target the selected matrix column (or row) is about. */
export function targetHere(c: Ctl): string | undefined {
	const ref = c.selectedRow()?.ref;
	if (ref?.kind === 'target') return ref.rt;
	const s = c.shown();
	const m = s.table.matrix;
	if (!m || !s.cols || c.top.view.id !== 'targets' || s.cols.length === 0) return undefined;
	const col = s.cols[Math.min(c.top.col ?? 0, s.cols.length - 1)]!;
	return m.legend[col - m.pinned];
}

export const selectApp = 'select an app first (1 apps)';
