// What a console is opened with: this host (or a backend for every host, in tests), the view to start in, refresh,
// the hosts it may switch between.
import type {Context} from '../provision/context.js';
import type {HostRef} from './backend.js';
import type {Data, Loader} from './data.js';
import type {BackendFactory} from './hosts.js';
import type {ViewRef} from './views.js';

export type ControllerOptions = {
	/** this host's store and kernel; optional when `makeBackend` serves every host (tests) */
	ctx?: Context;
	/** where this host's data comes from; defaults to the snapshot of `ctx` */
	loader?: Loader;
	readonly?: boolean;
	initial?: ViewRef;
	/** ms between refreshes; 0 for none */
	refreshMs?: number;
	now?: () => number;
	/** the first read, when it was started before the console (it overlaps loading Ink) */
	first?: Promise<Data>;
	/** a message to flash at start (a bad settings file, say) */
	notice?: string;
	onQuit?: () => void;
	/** the host to show first (a name from `hosts`); this host when not given */
	host?: string;
	/** the hosts the console can switch between; default: this host and the agents its host settings list */
	hosts?: readonly HostRef[];
	/** ms a read of another host may take in the hosts and targets views before it counts as unreachable */
	peerTimeoutMs?: number;
	/** makes the backend of a host (default: this host in process, others through their agents) */
	makeBackend?: BackendFactory;
};

