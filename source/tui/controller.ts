// The console's state and behaviour, apart from React: keys come in one at a time, the state changes, listeners
// re-render. Keeping it here (not in component state) means a burst of keys always sees the state the previous key
// left, and the tests drive exactly what the terminal drives.
import {inPool, parseIpv4, parsePrefix} from '../core/ipv4.js';
import {checkName} from '../core/names.js';
import {parseRouteTarget} from '../core/rt.js';
import type {Context} from '../provision/context.js';
import type {TargetEdit} from '../provision/targets.js';
import {findHost, knownHosts, LocalBackend, RemoteBackend, type Backend, type HostRef, type Maybe} from './backend.js';
import type {Data, HostState, Loader, Need} from './data.js';
import {formKey, type Field, type Form, type Values} from './form.js';
import {diffLines, type Line} from '../provision/text.js';
import {isChar, named, type Key} from './keys.js';
import {filterRows, tableFor, TOP_VIEWS, type Row, type ViewId, type ViewRef} from './views.js';

export type Frame = {readonly view: ViewRef; readonly key?: string; readonly index: number; readonly filter: string};

export type FormAction =
	| {readonly kind: 'bind'}
	| {readonly kind: 'outbound'; readonly app: string}
	| {readonly kind: 'target'; readonly network: string; readonly direction: 'import' | 'export'}
	| {readonly kind: 'ping'; readonly app: string};

export type Pending =
	| {readonly kind: 'bind'; readonly req: {app: string; network: string; outbound?: string; address?: string; command?: string[]}}
	| {readonly kind: 'unbind'; readonly app: string}
	| {readonly kind: 'outbound'; readonly app: string; readonly network?: string}
	| {readonly kind: 'target'; readonly edit: TargetEdit}
	| {readonly kind: 'ping'; readonly app: string; readonly target: string};

export type Mode =
	| {readonly kind: 'normal'}
	| {readonly kind: 'filter'; readonly text: string}
	| {readonly kind: 'command'; readonly text: string}
	| {readonly kind: 'help'}
	| {readonly kind: 'form'; readonly form: Form<FormAction>}
	| {readonly kind: 'confirm'; readonly title: string; readonly lines: readonly Line[]; readonly pending: Pending; readonly scroll?: number}
	| {readonly kind: 'info'; readonly title: string; readonly lines: readonly Line[]; readonly scroll?: number}
	| {readonly kind: 'busy'; readonly text: string};

export type Flash = {readonly text: string; readonly tone: 'good' | 'bad' | 'info'; readonly at: number};

export type UiState = {readonly stack: readonly Frame[]; readonly mode: Mode; readonly flash?: Flash; readonly quit: boolean};

export type ConsoleView = {readonly state: UiState; readonly data?: Data; readonly loading: boolean; readonly loadError?: string; readonly version: number};

export type ControllerOptions = {
	ctx: Context;
	/** where data comes from; defaults to the snapshot of `ctx` */
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
};

const ACTION_KEYS = new Set(['b', 'u', 'o', 'i', 'e', 'p']);
const FLASH_MS = 8000;

function message(e: unknown): string {
	return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

/** Runs a validator that throws UsageError; its message is the field's error. */
function check(fn: () => unknown): string | undefined {
	try {
		fn();
		return undefined;
	} catch (e) {
		return message(e);
	}
}

export function frameOf(view: ViewRef): Frame {
	return {view, index: 0, filter: ''};
}

/** The selected position in a view's (filtered) rows: the row with the frame's key if it is still there, else the same position. */
export function selectedIndex(frame: Frame, index: ReadonlyMap<string, number>, count: number): number {
	if (frame.key !== undefined) {
		const at = index.get(frame.key);
		if (at !== undefined) return at;
	}
	return Math.max(0, Math.min(frame.index, count - 1));
}

export class ConsoleController {
	readonly ctx: Context;
	readonly readonly: boolean;
	readonly refreshMs: number;
	readonly now: () => number;
	/** rows that fit on screen; the renderer keeps it current (PgUp/PgDn move by it) */
	pageSize = 10;
	/** the hosts known, this one first */
	readonly hosts: readonly HostRef[];
	private backend: Backend;
	private readonly backends = new Map<string, Backend>();
	private readonly localLoader: Loader | undefined;
	private readonly peerTimeoutMs: number;
	/** the last read of each other host, kept between the refreshes that do not read them */
	private peers = new Map<string, HostState>();
	/** bumped on every host switch: a read of the previous host that lands later is dropped */
	private hostGen = 0;
	private readonly onQuit: (() => void) | undefined;
	private view: ConsoleView;
	private readonly listeners = new Set<() => void>();
	private refreshing: Promise<void> | undefined;
	private again = false;
	private timers: NodeJS.Timeout[] = [];
	private quitAfterBusy = false;
	private first: Promise<Data> | undefined;

	constructor(opts: ControllerOptions) {
		this.ctx = opts.ctx;
		this.readonly = opts.readonly ?? false;
		this.refreshMs = opts.refreshMs ?? 2000;
		this.now = opts.now ?? Date.now;
		this.localLoader = opts.loader;
		this.hosts = opts.hosts ?? knownHosts(opts.ctx);
		this.peerTimeoutMs = opts.peerTimeoutMs ?? 1500;
		const start = (opts.host !== undefined ? findHost(this.hosts, opts.host) : undefined) ?? this.hosts[0]!;
		this.backend = this.backendFor(start);
		this.onQuit = opts.onQuit;
		this.first = opts.first;
		const state: UiState = {
			stack: [frameOf(opts.initial ?? {id: 'apps'})],
			mode: {kind: 'normal'},
			quit: false,
			...(opts.notice ? {flash: {text: opts.notice, tone: 'bad' as const, at: this.now()}} : {}),
		};
		this.view = {state, loading: true, version: 0};
	}

	// --- store for React (useSyncExternalStore) ---

	subscribe = (fn: () => void): (() => void) => {
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	};

	getView = (): ConsoleView => this.view;

	private update(patch: Partial<Omit<ConsoleView, 'version'>>): void {
		this.view = {...this.view, ...patch, version: this.view.version + 1};
		for (const fn of this.listeners) fn();
	}

	private setState(state: UiState): void {
		this.update({state});
	}

	get state(): UiState {
		return this.view.state;
	}

	get data(): Data | undefined {
		return this.view.data;
	}

	get top(): Frame {
		return this.state.stack.at(-1)!;
	}

	// --- lifecycle ---

	start(): Promise<void> {
		const first = this.refresh();
		if (this.refreshMs > 0) this.timers.push(setInterval(() => void this.refresh(), this.refreshMs));
		// the header's "refreshed Ns ago" and the flash's expiry
		this.timers.push(setInterval(() => this.update({}), 1000));
		return first;
	}

	stop(): void {
		for (const t of this.timers) clearInterval(t);
		this.timers = [];
	}

	/** Reads the host again; a refresh asked for while one runs is done once more right after it. */
	refresh(): Promise<void> {
		if (this.refreshing) {
			this.again = true;
			return this.refreshing;
		}
		this.refreshing = (async () => {
			do {
				this.again = false;
				const v = this.top.view;
				const gen = this.hostGen;
				const backend = this.backend;
				const need = this.needOf(v);
				try {
					const first = this.first;
					this.first = undefined;
					const [data] = await Promise.all([first ?? backend.load(need), need.peers ? this.readPeers(backend) : undefined]);
					if (gen !== this.hostGen) continue;
					this.update({data: this.withHosts(data), loading: false, loadError: undefined});
					this.fillRoutesArg();
				} catch (e) {
					if (gen !== this.hostGen) continue;
					this.update({loading: false, loadError: message(e)});
				}
			} while (this.again);
			this.refreshing = undefined;
		})();
		return this.refreshing;
	}

	// --- hosts ---

	private backendFor(ref: HostRef): Backend {
		let b = this.backends.get(ref.name);
		if (!b) {
			b = ref.local ? new LocalBackend(this.ctx, this.localLoader, this.now) : new RemoteBackend(ref, this.now);
			this.backends.set(ref.name, b);
		}
		return b;
	}

	/** The host shown now. */
	get host(): HostRef {
		return this.backend.host;
	}

	private needOf(v: ViewRef): Need {
		return {ifaces: v.id === 'ifaces', ...(v.id === 'app' && v.arg ? {app: v.arg} : {}), ...((v.id === 'hosts' || v.id === 'targets') && this.hosts.length > 1 ? {peers: true} : {})};
	}

	/** Every other host's snapshot, in parallel, each with a short timeout: one slow host does not hold the rest. */
	private async readPeers(current: Backend): Promise<void> {
		await Promise.all(this.hosts.filter(h => h.name !== current.host.name).map(async ref => {
			const b = this.backendFor(ref);
			const remote = b instanceof RemoteBackend ? b : undefined;
			const [snap, health] = await Promise.allSettled([b.snapshot(this.peerTimeoutMs), remote ? remote.health(this.peerTimeoutMs) : Promise.resolve(undefined)]);
			const gobgp = health.status === 'fulfilled' && health.value ? health.value.gobgp : null;
			this.peers.set(ref.name, snap.status === 'fulfilled' ? {ref, current: false, snap: snap.value, gobgp} : {ref, current: false, error: message(snap.reason), gobgp});
		}));
	}

	/** The data of the current host with every known host's last state beside it. */
	private withHosts(data: Data): Data {
		const hosts = this.hosts.map((ref): HostState => {
			if (ref.name === this.host.name) return {ref, current: true, snap: data.snap, gobgp: this.peers.get(ref.name)?.gobgp ?? null};
			return this.peers.get(ref.name) ?? {ref, current: false, pending: true};
		});
		return {...data, hosts};
	}

	/**
	 * Shows another host (`Enter` in the hosts view, `:host NAME`, `--host NAME`): its data is read first, and only when
	 * that works does the console switch; an unreachable host is said in the flash and the console stays where it was.
	 */
	async switchHost(name: string): Promise<void> {
		const ref = findHost(this.hosts, name);
		if (!ref) return this.flash(`unknown host '${name}' (known: ${this.hosts.map(h => h.name).join(', ')})`, 'bad');
		if (ref.name === this.host.name) return this.flash(`already on ${ref.name}`);
		const b = this.backendFor(ref);
		const bottom = this.state.stack[0]!.view;
		const view: ViewRef = bottom.id === 'hosts' || bottom.id === 'app' ? {id: 'apps'} : {id: bottom.id};
		const back = this.state.mode;
		this.mode({kind: 'busy', text: `connecting to ${ref.name}${ref.url ? ` (${ref.url})` : ''}…`});
		try {
			const need = this.needOf(view);
			const [data] = await Promise.all([b.load(need), need.peers ? this.readPeers(b) : undefined]);
			this.hostGen++;
			this.backend = b;
			this.update({data: this.withHosts(data), loading: false, loadError: undefined});
			this.setState({...this.state, stack: [frameOf(view)], mode: {kind: 'normal'}, flash: {text: `switched to ${ref.name}${ref.url ? ` (${ref.url})` : ' (this host)'}`, tone: 'good', at: this.now()}});
			this.fillRoutesArg();
		} catch (e) {
			if (ref.name !== this.host.name && !ref.local) this.peers.set(ref.name, {ref, current: false, error: message(e), gobgp: null});
			if (this.data) this.update({data: this.withHosts(this.data)});
			this.mode(back.kind === 'busy' ? {kind: 'normal'} : back, {text: `cannot switch to ${ref.name}: ${message(e)}`, tone: 'bad', at: this.now()});
		}
		if (this.quitAfterBusy) this.quit();
	}

	/**
	 * Runs a step that is immediate on this host and a request on another: the console shows `busy` only while it
	 * waits, and a quit asked meanwhile happens after.
	 */
	private settle<T>(run: () => Maybe<T>, busy: string, done: (value: T) => void, failed: (e: unknown) => void): void {
		let v: Maybe<T>;
		try {
			v = run();
		} catch (e) {
			return failed(e);
		}
		if (!(v instanceof Promise)) return done(v);
		this.mode({kind: 'busy', text: busy});
		void v.then(done, failed).then(() => {
			if (this.quitAfterBusy) this.quit();
		});
	}

	/** A routes view opened before any data names its network: the first network. */
	private fillRoutesArg(): void {
		const first = this.data?.snap.networks[0]?.name;
		if (!first || !this.state.stack.some(f => f.view.id === 'routes' && !f.view.arg)) return;
		this.setState({...this.state, stack: this.state.stack.map(f => (f.view.id === 'routes' && !f.view.arg ? {...f, view: {id: 'routes', arg: first}} : f))});
	}

	// --- helpers over the current view ---

	rowsOf(frame: Frame = this.top): {rows: readonly Row[]; index: ReadonlyMap<string, number>} {
		if (!this.data) return {rows: [], index: new Map()};
		const f = filterRows(tableFor(frame.view, this.data), frame.filter);
		return {rows: f.rows, index: f.index};
	}

	selectedRow(): Row | undefined {
		const {rows, index} = this.rowsOf();
		return rows[selectedIndex(this.top, index, rows.length)];
	}

	private setTop(frame: Frame): void {
		this.setState({...this.state, stack: [...this.state.stack.slice(0, -1), frame]});
	}

	private flash(text: string, tone: Flash['tone'] = 'info'): void {
		this.setState({...this.state, flash: {text, tone, at: this.now()}});
	}

	private mode(mode: Mode, flash?: Flash): void {
		this.setState({...this.state, mode, ...(flash ? {flash} : {})});
	}

	flashShown(): Flash | undefined {
		const f = this.state.flash;
		return f && this.now() - f.at < FLASH_MS ? f : undefined;
	}

	private move(to: (current: number, count: number) => number): void {
		const {rows, index} = this.rowsOf();
		if (rows.length === 0) return;
		const cur = selectedIndex(this.top, index, rows.length);
		const next = Math.max(0, Math.min(rows.length - 1, to(cur, rows.length)));
		this.setTop({...this.top, index: next, key: rows[next]!.key});
	}

	/** Opens a view: a top-level one replaces the stack, a drill-down is pushed (Esc comes back). */
	open(view: ViewRef, push = false): void {
		const stack = push ? [...this.state.stack, frameOf(view)] : [frameOf(view)];
		this.setState({...this.state, stack, mode: {kind: 'normal'}});
		const needs = view.id === 'ifaces' ? !this.data?.ifaces : view.id === 'app' ? this.data?.app?.name !== view.arg : Boolean(this.needOf(view).peers);
		if (needs || view.id === 'routes') void this.refresh();
		this.fillRoutesArg();
	}

	/** The network the current row or view is about, if any. */
	private networkHere(): string | undefined {
		const v = this.top.view;
		if (v.id === 'routes') return v.arg;
		if (v.id === 'nets') return this.selectedRow()?.key;
		if (v.id === 'app' || v.id === 'targets') return this.selectedRow()?.key.split(' ')[0];
		if (v.id === 'apps') {
			const app = this.data?.snap.apps.find(a => a.name === this.selectedRow()?.key);
			return app?.ifaces.find(i => i.role === 'in')?.network;
		}
		return undefined;
	}

	private appHere(): string | undefined {
		const v = this.top.view;
		if (v.id === 'app') return v.arg;
		if (v.id === 'apps') return this.selectedRow()?.key;
		if (v.id === 'ifaces') return this.data?.ifaces?.find(i => `${i.namespace}/${i.name}` === this.selectedRow()?.key)?.app;
		return undefined;
	}

	private routeHere(): {network: string; prefix: string} | undefined {
		const v = this.top.view;
		const row = this.selectedRow();
		if (!row) return undefined;
		if (v.id === 'routes' && v.arg) return {network: v.arg, prefix: row.key};
		if (v.id === 'app') {
			const [network, prefix] = row.key.split(' ');
			return {network: network!, prefix: prefix!};
		}
		return undefined;
	}

	// --- keys ---

	/** keys handled so far (tests wait on it) */
	keysHandled = 0;

	/** One key, in whatever mode the console is in. */
	key(k: Key): void {
		this.keysHandled++;
		const m = this.state.mode;
		if (m.kind === 'busy') {
			if (named(k, 'ctrl-c')) {
				this.quitAfterBusy = true;
				this.flash('quitting once the running action finishes…');
			}
			return;
		}
		if (named(k, 'ctrl-c')) return this.quit();
		if (m.kind === 'normal') return this.normalKey(k);
		if (m.kind === 'filter') return this.filterKey(k, m.text);
		if (m.kind === 'command') return this.commandKey(k, m.text);
		if ((m.kind === 'confirm' || m.kind === 'info') && (named(k, 'down') || named(k, 'up') || named(k, 'pagedown') || named(k, 'pageup') || (isChar(k) && (k.ch === 'j' || k.ch === 'k')))) {
			const d = named(k, 'pagedown') ? this.pageSize : named(k, 'pageup') ? -this.pageSize : named(k, 'down') || (isChar(k) && k.ch === 'j') ? 1 : -1;
			return this.mode({...m, scroll: Math.max(0, Math.min(m.lines.length - 1, (m.scroll ?? 0) + d))});
		}
		if (m.kind === 'help' || m.kind === 'info') {
			if (named(k, 'esc') || named(k, 'enter') || (isChar(k) && (k.ch === 'q' || k.ch === '?'))) this.mode({kind: 'normal'});
			return;
		}
		if (m.kind === 'confirm') {
			if (isChar(k) && (k.ch === 'y' || k.ch === 'Y')) return void this.apply(m.pending);
			if (named(k, 'esc') || (isChar(k) && (k.ch === 'n' || k.ch === 'N' || k.ch === 'q'))) {
				this.mode({kind: 'normal'}, {text: 'cancelled: nothing changed', tone: 'info', at: this.now()});
			}
			return;
		}
		if (m.kind === 'form') return this.formKey(k, m.form);
	}

	keys(list: readonly Key[]): void {
		for (const k of list) this.key(k);
	}

	quit(): void {
		if (this.state.quit) return;
		this.stop();
		this.setState({...this.state, quit: true});
		this.onQuit?.();
	}

	private normalKey(k: Key): void {
		const page = Math.max(1, this.pageSize);
		if (named(k, 'down') || (isChar(k) && k.ch === 'j')) return this.move(i => i + 1);
		if (named(k, 'up') || (isChar(k) && k.ch === 'k')) return this.move(i => i - 1);
		if (named(k, 'home') || (isChar(k) && k.ch === 'g')) return this.move(() => 0);
		if (named(k, 'end') || (isChar(k) && k.ch === 'G')) return this.move((_, n) => n - 1);
		if (named(k, 'pagedown')) return this.move(i => i + page);
		if (named(k, 'pageup')) return this.move(i => i - page);
		if (named(k, 'enter')) return this.drill();
		if (named(k, 'esc')) return this.back();
		if (!isChar(k)) return;
		const ch = k.ch;
		const top = TOP_VIEWS.find(v => v.key === ch);
		if (top) return this.open(top.id === 'routes' ? {id: 'routes', ...this.routesArg()} : {id: top.id});
		if (ch === 'q') return this.quit();
		if (ch === '/') return this.mode({kind: 'filter', text: this.top.filter});
		if (ch === ':') return this.mode({kind: 'command', text: ''});
		if (ch === '?') return this.mode({kind: 'help'});
		if (ch === 'r') {
			this.flash('refreshing…');
			void this.refresh().then(() => {
				const err = this.view.loadError;
				if (err) this.flash(`refresh failed: ${err}`, 'bad');
				else this.flash(`refreshed: ${this.data?.snap.apps.length ?? 0} apps, ${this.data?.snap.networks.length ?? 0} networks`, 'good');
			});
			return;
		}
		if (ch === 'x') return this.explain();
		if (ACTION_KEYS.has(ch)) {
			if (this.readonly) return this.flash(`read-only console: '${ch}' is disabled (started with --readonly)`, 'bad');
			if (!this.data) return this.flash('still loading…');
			if (ch === 'b') return this.startBind();
			if (ch === 'u') return this.startUnbind();
			if (ch === 'o') return this.startOutbound();
			if (ch === 'i') return this.startTarget('import');
			if (ch === 'e') return this.startTarget('export');
			if (ch === 'p') return this.startPing();
		}
	}

	private routesArg(): {arg?: string} {
		const n = this.networkHere() ?? this.data?.snap.networks[0]?.name;
		return n ? {arg: n} : {};
	}

	private back(): void {
		if (this.top.filter !== '') return this.setTop({...this.top, filter: ''});
		if (this.state.stack.length > 1) {
			this.setState({...this.state, stack: this.state.stack.slice(0, -1)});
		}
	}

	private drill(): void {
		const v = this.top.view;
		const row = this.selectedRow();
		if (!row) return;
		if (v.id === 'apps') return this.open({id: 'app', arg: row.key}, true);
		if (v.id === 'nets' || v.id === 'targets') return this.open({id: 'routes', arg: row.key.split(' ')[0]!}, true);
		if (v.id === 'hosts') return void this.switchHost(row.key);
		if (v.id === 'routes' || v.id === 'app') return this.explain();
		if (v.id === 'log') {
			const e = this.data?.log.find(x => String(x.id) === row.key);
			if (e) this.mode({kind: 'info', title: `audit #${e.id}: ${e.op}`, lines: [{text: `at ${e.at} by ${e.user}`}, {text: `args ${e.args}`}, {text: `result ${e.result}`, tone: e.result === 'ok' ? 'good' : 'bad'}, ...(e.detail ? [{text: e.detail}] : [])]});
			return;
		}
		if (v.id === 'ifaces') {
			const app = this.appHere();
			if (app) this.open({id: 'app', arg: app}, true);
		}
	}

	private filterKey(k: Key, text: string): void {
		if (named(k, 'enter')) return this.mode({kind: 'normal'});
		if (named(k, 'esc')) {
			this.setState({...this.state, mode: {kind: 'normal'}, stack: [...this.state.stack.slice(0, -1), {...this.top, filter: ''}]});
			return;
		}
		if (named(k, 'down') || named(k, 'up')) return this.move(i => i + (named(k, 'down') ? 1 : -1));
		let next = text;
		if (named(k, 'backspace')) next = text.slice(0, -1);
		else if (isChar(k)) next = text + k.ch;
		else return;
		this.setState({...this.state, mode: {kind: 'filter', text: next}, stack: [...this.state.stack.slice(0, -1), {...this.top, filter: next}]});
	}

	// --- `:` commands ---

	/** What `:` understands, with completion: view names, `routes NET`, `app APP`, `help`, `quit`. */
	commandCandidates(text: string): string[] {
		const words = text.split(' ');
		if (words.length <= 1) {
			const names = [...TOP_VIEWS.map(v => v.name), 'app', 'host', 'help', 'quit'];
			return names.filter(n => n.startsWith(words[0] ?? ''));
		}
		const head = this.resolveCommand(words[0]!);
		const arg = words.slice(1).join(' ');
		const pool = head === 'routes' ? (this.data?.snap.networks.map(n => n.name) ?? []) : head === 'app' ? (this.data?.snap.apps.map(a => a.name) ?? []) : head === 'host' ? this.hosts.map(h => h.name) : [];
		return pool.filter(n => n.startsWith(arg)).map(n => `${words[0]} ${n}`);
	}

	private resolveCommand(word: string): ViewId | 'host' | 'help' | 'quit' | undefined {
		const w = word.toLowerCase();
		const top = TOP_VIEWS.find(v => v.name === w || v.aliases.includes(w));
		if (top) return top.id;
		if (w === 'app') return 'app';
		if (w === 'host' || w === 'ctx' || w === 'context') return 'host';
		if (w === 'help' || w === 'h') return 'help';
		if (w === 'q' || w === 'quit' || w === 'exit' || w === 'q!') return 'quit';
		return undefined;
	}

	private commandKey(k: Key, text: string): void {
		if (named(k, 'esc')) return this.mode({kind: 'normal'});
		if (named(k, 'tab')) {
			const c = this.commandCandidates(text);
			if (c.length === 0) return;
			let p = c[0]!;
			for (const s of c) while (!s.startsWith(p)) p = p.slice(0, -1);
			const done = c.length === 1 ? `${c[0]!}${text.includes(' ') ? '' : ' '}` : p;
			if (done.length > text.length) this.mode({kind: 'command', text: done});
			return;
		}
		if (named(k, 'backspace')) return this.mode({kind: 'command', text: text.slice(0, -1)});
		if (isChar(k)) return this.mode({kind: 'command', text: text + k.ch});
		if (!named(k, 'enter')) return;
		const [word = '', ...rest] = text.trim().split(/\s+/);
		const arg = rest.join(' ');
		const what = this.resolveCommand(word);
		if (what === undefined) {
			return this.mode({kind: 'normal'}, {text: `unknown command ':${text.trim()}' (try :apps :nets :routes NET :targets :ifaces :log :hosts :host NAME)`, tone: 'bad', at: this.now()});
		}
		if (what === 'quit') return this.quit();
		if (what === 'host') {
			if (!arg) return this.open({id: 'hosts'});
			this.mode({kind: 'normal'});
			return void this.switchHost(arg);
		}
		if (what === 'help') return this.mode({kind: 'help'});
		if (what === 'routes') {
			if (arg && this.data && !this.data.snap.networks.some(n => n.name === arg)) {
				return this.mode({kind: 'normal'}, {text: `unknown network '${arg}'`, tone: 'bad', at: this.now()});
			}
			return this.open({id: 'routes', ...(arg ? {arg} : this.routesArg())});
		}
		if (what === 'app') {
			const app = arg || this.appHere();
			if (!app || (this.data && !this.data.snap.apps.some(a => a.name === app))) {
				return this.mode({kind: 'normal'}, {text: app ? `unknown app '${app}'` : ':app needs an app name', tone: 'bad', at: this.now()});
			}
			return this.open({id: 'app', arg: app}, true);
		}
		return this.open({id: what});
	}

	// --- actions: forms, previews, confirmation, apply ---

	private networkNames(): string[] {
		return this.data?.snap.networks.map(n => n.name) ?? [];
	}

	private startForm(title: string, fields: Field[], validate: (name: string, v: Values) => string | undefined, action: FormAction, note?: string): void {
		this.mode({kind: 'form', form: {title, fields, focus: 0, validate, action, ...(note ? {note} : {})}});
	}

	private startBind(): void {
		const nets = this.networkNames();
		if (nets.length === 0) return this.flash("no network yet: create one first ('nsdeck net create NAME --subnet CIDR')", 'bad');
		const apps = new Set(this.data!.snap.apps.map(a => a.name));
		const subnet = new Map(this.data!.snap.networks.map(n => [n.name, n.subnet]));
		const used = new Set(this.data!.snap.apps.flatMap(a => a.ifaces.map(i => i.address)));
		const netHere = this.networkHere();
		const validate = (name: string, v: Values): string | undefined => {
			if (name === 'app') return check(() => checkName('app', v.app!)) ?? (apps.has(v.app!) ? `'${v.app}' is already bound` : undefined);
			if (name === 'inbound') return check(() => checkName('network', v.inbound!)) ?? (subnet.has(v.inbound!) ? undefined : `no network '${v.inbound}'`);
			if (name === 'outbound') {
				return check(() => checkName('network', v.outbound!)) ?? (!subnet.has(v.outbound!) ? `no network '${v.outbound}'` : v.outbound === v.inbound ? 'must differ from the inbound network' : undefined);
			}
			if (name === 'address') {
				return check(() => {
					const ip = parseIpv4(v.address!);
					const s = subnet.get(v.inbound!);
					if (s && !inPool(parsePrefix(s), ip)) throw new Error(`not in the pool of '${v.inbound}' (${s})`);
					if (used.has(v.address!)) throw new Error('already leased');
				});
			}
			return undefined;
		};
		this.startForm(
			'bind an app',
			[
				{kind: 'text', name: 'app', label: 'name', value: '', hint: 'namespace ns-NAME'},
				{kind: 'text', name: 'inbound', label: 'inbound network', value: netHere ?? '', complete: nets, ...(netHere ? {suggested: true} : {})},
				{kind: 'text', name: 'outbound', label: 'outbound network', value: '', optional: true, complete: nets, hint: 'optional: default route leaves here'},
				{kind: 'text', name: 'address', label: 'address', value: '', optional: true, hint: 'optional: next free when empty'},
				{kind: 'text', name: 'command', label: 'command', value: '', optional: true, hint: 'optional: started inside the namespace'},
			],
			validate,
			{kind: 'bind'},
		);
	}

	private startUnbind(): void {
		const app = this.appHere();
		if (!app) return this.flash('select an app first (1 apps)', 'bad');
		const a = this.data!.snap.apps.find(x => x.name === app);
		this.mode({
			kind: 'confirm',
			title: `unbind ${app}?`,
			pending: {kind: 'unbind', app},
			lines: [
				{text: `namespace ${a?.namespace ?? app} is deleted with its interfaces:`},
				...(a?.ifaces ?? []).map(i => ({text: `  ${i.inner} ${i.address} on ${i.network} (${i.role === 'in' ? 'inbound' : 'outbound'})`})),
				...(a?.process?.running ? [{text: `its process ${a.process.pid} is stopped`, tone: 'warn' as const}] : []),
				{text: 'its addresses go back to the pools; its routes leave every VRF', tone: 'dim'},
			],
		});
	}

	private startOutbound(): void {
		const app = this.appHere();
		if (!app) return this.flash('select an app first (1 apps)', 'bad');
		const a = this.data!.snap.apps.find(x => x.name === app);
		if (!a) return this.flash(`unknown app '${app}'`, 'bad');
		const inbound = a.ifaces.find(i => i.role === 'in')?.network;
		const current = a.ifaces.find(i => i.role === 'out')?.network;
		const options = [...this.networkNames().filter(n => n !== inbound), '(none)'];
		const startAt = options.find(o => o !== (current ?? '(none)')) ?? '(none)';
		this.startForm(
			`outbound network of ${app}`,
			[{kind: 'choice', name: 'network', label: 'outbound', options, value: startAt}],
			(_n, v) => (v.network === (current ?? '(none)') ? `already ${current ? `the outbound network` : 'without one'}` : undefined),
			{kind: 'outbound', app},
			`inbound ${inbound}; outbound now ${current ?? 'none (default route via inbound)'}.  ←/→ pick, Enter preview`,
		);
	}

	private startTarget(direction: 'import' | 'export'): void {
		const network = this.networkHere();
		if (!network) return this.flash(`select a network first (2 nets, 4 targets or a routes view) to edit its ${direction} targets`, 'bad');
		const net = this.data!.snap.networks.find(n => n.name === network);
		if (!net) return this.flash(`unknown network '${network}'`, 'bad');
		const mine = net.targets.filter(t => (direction === 'import' ? t.import : t.export)).map(t => t.rt as string);
		const only = net.targets.filter(t => (direction === 'import' ? t.import && !t.export : t.export && !t.import)).map(t => t.rt as string);
		const everywhere = [...new Set(this.data!.snap.networks.flatMap(n => n.targets.map(t => t.rt as string)))];
		const validate = (name: string, v: Values): string | undefined => {
			if (name !== 'target') return undefined;
			if (v.target!.trim() === '') return 'a route target: ASN:N, A.B.C.D:N or target:ASN:N';
			let rt = '';
			const bad = check(() => (rt = parseRouteTarget(v.target!)));
			if (bad) return bad;
			if (v.action === 'remove' && !mine.includes(rt)) return `${network} has no ${direction} target ${rt}`;
			if (v.action === 'add' && mine.includes(rt)) return `${network} already ${direction}s ${rt}`;
			return undefined;
		};
		this.startForm(
			`${direction}${direction === 'import' ? '-only' : ''} targets of ${network}`,
			[
				{kind: 'text', name: 'target', label: 'route target', value: '', complete: everywhere, hint: 'ASN:N, A.B.C.D:N or target:ASN:N; Tab completes'},
				{kind: 'choice', name: 'action', label: 'action', options: ['add', 'remove'], value: 'add'},
			],
			validate,
			{kind: 'target', network, direction},
			`${direction}-only now: ${only.join(', ') || 'none'};  all ${direction}s: ${mine.join(', ') || 'none'}`,
		);
	}

	private startPing(): void {
		const app = this.appHere();
		if (!app) return this.flash('select an app first (1 apps)', 'bad');
		const others = this.data!.snap.apps.map(a => a.name).filter(n => n !== app);
		const names = new Set(others);
		this.startForm(
			`ping from ${app}`,
			[{kind: 'text', name: 'target', label: 'to', value: '', complete: others, hint: 'an IPv4 address or an app name'}],
			(_n, v) => {
				const t = v.target!.trim();
				if (t === '') return 'an IPv4 address or an app name';
				if (/^[\d.]+$/.test(t)) return check(() => parseIpv4(t));
				return names.has(t) ? undefined : `no app '${t}' (and not an IPv4 address)`;
			},
			{kind: 'ping', app},
		);
	}

	private formKey(k: Key, form: Form<FormAction>): void {
		const step = formKey(form, k);
		if ('cancel' in step) return this.mode({kind: 'normal'}, {text: 'cancelled: nothing changed', tone: 'info', at: this.now()});
		if ('form' in step) return this.mode({kind: 'form', form: step.form});
		if ('invalid' in step) return this.mode({kind: 'form', form: step.invalid}, {text: step.error, tone: 'bad', at: this.now()});
		this.submit(step.submit);
	}

	/** A confirmation; a preview refused (another writer changed things, say) goes back to the form and says why. */
	private preview<T>(form: Form<FormAction>, run: () => Maybe<T>, confirm: (value: T) => Mode | void): void {
		this.settle(run, `previewing on ${this.host.name}…`, v => {
			const m = confirm(v);
			if (m) this.mode(m);
		}, e => this.mode({kind: 'form', form}, {text: message(e), tone: 'bad', at: this.now()}));
	}

	/** A valid form becomes a confirmation, with the routing preview where the change moves routes. */
	private submit(form: Form<FormAction>): void {
		const v = Object.fromEntries(form.fields.map(f => [f.name, f.value.trim()]));
		const a = form.action;
		const b = this.backend;
		const on = b.host.local ? '' : ` on ${b.host.name}`;
		if (a.kind === 'bind') {
			const req = {
				app: v.app!,
				network: v.inbound!,
				...(v.outbound ? {outbound: v.outbound} : {}),
				...(v.address ? {address: v.address} : {}),
				...(v.command ? {command: v.command.split(/\s+/)} : {}),
			};
			return this.preview(form, () => b.previewBind(req), p => ({
				kind: 'confirm',
				title: `bind ${req.app}${on}?`,
				pending: {kind: 'bind', req},
				lines: [
					{text: `namespace ${b.namespaceOf(req.app)}`},
					{text: `  veth0 ${p.addresses.in} on ${req.network} (inbound)${req.outbound ? '' : ', default route'}`},
					...(req.outbound ? [{text: `  veth1 ${p.addresses.out} on ${req.outbound} (outbound), default route`}] : []),
					...(req.command ? [{text: `  runs: ${req.command.join(' ')}`}] : []),
					{text: ''},
					...diffLines(p),
				],
			}));
		}
		if (a.kind === 'outbound') {
			const network = v.network === '(none)' ? undefined : v.network;
			return this.preview(form, () => b.previewOutbound(a.app, network), p => {
				if (p.unchanged) return this.mode({kind: 'normal'}, {text: `${a.app}: outbound unchanged`, tone: 'info', at: this.now()});
				return {
					kind: 'confirm',
					title: network ? `set the outbound network of ${a.app} to ${network}${on}?` : `clear the outbound network of ${a.app}${on}?`,
					pending: {kind: 'outbound', app: a.app, ...(network ? {network} : {})},
					lines: [{text: `default route of ${a.app}: via ${p.from ?? 'its inbound network'} → via ${network ?? 'its inbound network'}`}, {text: ''}, ...diffLines(p)],
				};
			});
		}
		if (a.kind === 'target') {
			const edit: TargetEdit = {network: a.network, rt: v.target!, direction: a.direction, remove: v.action === 'remove'};
			return this.preview(form, () => b.previewTarget(edit), p => ({
				kind: 'confirm',
				title: `${edit.remove ? 'remove' : 'add'} ${a.direction} target ${p.rt} ${edit.remove ? 'from' : 'to'} ${a.network}${on}?`,
				pending: {kind: 'target', edit: {...edit, rt: p.rt}},
				lines: diffLines(p),
			}));
		}
		return this.mode({
			kind: 'confirm',
			title: `ping ${v.target} from ${a.app}${on}?`,
			pending: {kind: 'ping', app: a.app, target: v.target!},
			lines: [{text: `one ICMP echo from inside ${b.namespaceOf(a.app)}, 1 s to answer`, tone: 'dim'}],
		});
	}

	private async apply(p: Pending): Promise<void> {
		const what = p.kind === 'target' ? `${p.edit.remove ? 'rt del' : 'rt add'} ${p.edit.network} ${p.edit.rt}` : p.kind === 'ping' ? `ping ${p.target} from ${p.app}` : p.kind === 'bind' ? `bind ${p.req.app}` : `${p.kind} ${p.app}`;
		const b = this.backend;
		this.mode({kind: 'busy', text: `${what}${b.host.local ? '' : ` on ${b.host.name}`}…`});
		let flash: Flash;
		let next: Mode = {kind: 'normal'};
		try {
			if (p.kind === 'bind') {
				const r = await b.bind(p.req);
				const addrs = r.ifaces.map(i => `${i.address} in ${i.network}`).join(', ');
				flash = {text: `bound ${p.req.app}: ${addrs}${r.pid ? `; started pid ${r.pid}` : ''}`, tone: 'good', at: this.now()};
				if (this.top.view.id === 'apps') this.setTop({...this.top, key: p.req.app});
			} else if (p.kind === 'unbind') {
				await b.unbind(p.app);
				flash = {text: `unbound ${p.app}: namespace deleted`, tone: 'good', at: this.now()};
				if (this.top.view.id === 'app' && this.top.view.arg === p.app) this.setState({...this.state, stack: this.state.stack.length > 1 ? this.state.stack.slice(0, -1) : [frameOf({id: 'apps'})]});
			} else if (p.kind === 'outbound') {
				const r = await b.setOutbound(p.app, p.network);
				const moved = r.unchanged || !r.diff ? 0 : r.diff.vrfs.reduce((n, x) => n + x.gained.length + x.lost.length, 0);
				flash = {text: r.unchanged ? `${p.app}: outbound unchanged` : `${p.app}: outbound ${p.network ?? 'cleared'}, default route via ${p.network ?? 'inbound'} (${moved} route changes)`, tone: 'good', at: this.now()};
			} else if (p.kind === 'target') {
				const diff = await b.editTarget(p.edit);
				const gained = diff.vrfs.reduce((n, x) => n + x.gained.length, 0);
				const lost = diff.vrfs.reduce((n, x) => n + x.lost.length, 0);
				flash = {text: `${p.edit.network}: ${p.edit.remove ? 'removed' : 'added'} ${p.edit.direction} target ${p.edit.rt}${b.host.local ? '' : ` on ${b.host.name}`} (+${gained} -${lost} routes)`, tone: 'good', at: this.now()};
			} else {
				const r = await b.ping(p.app, p.target);
				flash = {text: `ping ${r.address} from ${p.app}: ${r.detail}`, tone: r.ok ? 'good' : 'bad', at: this.now()};
				next = {kind: 'info', title: `ping ${r.address} from ${p.app}`, lines: [{text: r.ok ? 'reachable' : 'NOT reachable', tone: r.ok ? 'good' : 'bad'}, {text: r.detail}]};
			}
		} catch (e) {
			flash = {text: `${what} failed: ${message(e)}`, tone: 'bad', at: this.now()};
		}
		// the screen shows the result and the host as it is now, together
		if (!this.quitAfterBusy) await this.refresh();
		this.mode(next, flash);
		if (this.quitAfterBusy) this.quit();
	}

	private explain(): void {
		const r = this.routeHere();
		if (!r) return this.flash('select a route first (3 routes, or Enter on an app)', 'bad');
		this.settle(() => this.backend.explain(r.network, r.prefix), `explaining ${r.prefix}…`, e => {
			this.mode({kind: 'info', title: `why ${r.prefix} is${e.held ? '' : ' not'} in ${r.network}`, lines: e.lines.map(text => ({text}))});
		}, e => this.mode({kind: 'normal'}, {text: message(e), tone: 'bad', at: this.now()}));
	}
}
