import {names, type Names} from '../core/names.js';
import {localControl, type Control} from '../control/local.js';
import {openStore, stateDir} from '../store/open.js';
import {Store} from '../store/intent.js';

/** What every operation needs: the store, the naming of this host's namespaces, the control plane. */
export type Context = {
	readonly dir: string;
	readonly store: Store;
	readonly names: Names;
	readonly control: Control;
	close(): void;
};

/** Opens this host's store without creating it: the first write does (see Store.writable). */
/** Where this host's store is (NSDECK_STATE_DIR, else the default for the user). */
export {stateDir};

export function openContext(env: NodeJS.ProcessEnv = process.env): Context {
	const n = names(env.NSDECK_NS_PREFIX ?? '');
	const dir = stateDir(env);
	const store = new Store(openStore(dir), dir);
	return {dir, store, names: n, control: localControl, close: () => store.close()};
}
