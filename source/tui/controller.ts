// The console's behaviour apart from React: keys come in one at a time (dispatch.ts, from the registry), the state
// changes (store.ts), listeners re-render. This module wires the parts: the host shown and the others (hosts.ts),
// refreshes (refresh.ts), navigation over the stack of frames, and running an action's apply.
import {knownHosts, LocalBackend, RemoteBackend, type Backend, type HostRef, type Maybe} from './backend.js';
import type {Ctl, Say} from './ctl.js';
import type {Data} from './data.js';
import {dispatch} from './dispatch.js';
import type {Form} from './form.js';
import {networkHere} from './here.js';
import {Hosts, type BackendFactory} from './hosts.js';
import type {ControllerOptions} from './options.js';
import {named, type Key} from './keys.js';
import {Refresher} from './refresh.js';
import {frameOf, message, selectedIndex, type Apply, type ConsoleView, type Flash, type Frame, type Mode, type Tone, type UiState} from './state.js';
import {ViewStore} from './store.js';
import {apply, settle} from './run.js';
import {filterTable, type Shown} from './views/filter.js';
import {tableFor, type ViewRef, type ViewRow} from './views.js';

export {frameOf, selectedIndex};
export type {ControllerOptions};
export type {ConsoleView, Flash, Frame, Mode, UiState};

const FLASH_MS = 8000;

export class ConsoleController implements Ctl {
	readonly readonly: boolean;
	readonly refreshMs: number;
	readonly now: () => number;
	/** rows that fit on screen; the renderer keeps it current (PgUp/PgDn move by it) */
	pageSize = 10;
	/** keys handled so far (tests wait on it) */
	keysHandled = 0;
	private readonly store: ViewStore;
	private readonly refresher: Refresher;
	private readonly net: Hosts;
	private readonly onQuit: (() => void) | undefined;
	private first: Promise<Data> | undefined;
	private quitAfterBusy = false;
	/** the guided demo, when the console offers one (`:demo`) */
	demoHook: ((c: ConsoleController, arg: string) => void) | undefined;
	/** runs before quitting (a demo cleans up); the console shows `busy` meanwhile */
	beforeQuit: (() => Promise<void>) | undefined;

	constructor(opts: ControllerOptions) {
		this.readonly = opts.readonly ?? false;
		this.refreshMs = opts.refreshMs ?? 2000;
		this.now = opts.now ?? Date.now;
		const ctx = opts.ctx;
		const make: BackendFactory = opts.makeBackend ?? (ref => (ref.local ? new LocalBackend(ctx!, opts.loader, this.now, ref.name) : new RemoteBackend(ref, this.now)));
		this.net = new Hosts(opts.hosts ?? knownHosts(ctx!), make, opts.host, opts.peerTimeoutMs ?? 1500);
		this.onQuit = opts.onQuit;
		this.first = opts.first;
		this.store = new ViewStore({
			stack: [frameOf(opts.initial ?? {id: 'apps'})],
			mode: {kind: 'normal'},
			quit: false,
			...(opts.notice ? {flash: {text: opts.notice, tone: 'bad' as const, at: this.now()}} : {}),
		});
		this.refresher = new Refresher(() => this.readOnce());
	}

	// --- the store, for React ---

	subscribe = (fn: () => void) => this.store.subscribe(fn);
	getView = (): ConsoleView => this.store.getView();

	get state(): UiState {
		return this.store.state;
	}

	get data(): Data | undefined {
		return this.store.getView().data;
	}

	get loadError(): string | undefined {
		return this.store.getView().loadError;
	}

	get top(): Frame {
		return this.state.stack.at(-1)!;
	}

	get backend(): Backend {
		return this.net.backend;
	}

	get host(): HostRef {
		return this.net.host;
	}

	get hosts(): readonly HostRef[] {
		return this.net.list;
	}

	setState(state: UiState): void {
		this.store.setState(state);
	}

	// --- lifecycle and reads ---

	start(): Promise<void> {
		const first = this.refresh();
		this.refresher.start(this.refreshMs, () => this.store.update({}));
		return first;
	}

	stop(): void {
		this.refresher.stop();
	}

	refresh(): Promise<void> {
		return this.refresher.refresh();
	}

	private async readOnce(): Promise<void> {
		const gen = this.net.generation;
		try {
			const first = this.first;
			this.first = undefined;
			const data = await this.net.read(this.net.backend, this.top.view, first);
			if (gen !== this.net.generation) return;
			this.store.update({data: this.net.withHosts(data), loading: false, loadError: undefined});
			this.fillRoutesArg();
		} catch (e) {
			if (gen !== this.net.generation) return;
			this.store.update({loading: false, loadError: message(e)});
		}
	}

	/**
	 * Shows another host (`Enter` in the hosts view, `:host NAME`, `--host NAME`): its data is read first, and only when
	 * that works does the console switch; an unreachable host is said in the flash and the console stays where it was.
	 */
	async switchHost(name: string): Promise<void> {
		const ref = this.net.find(name);
		if (!ref) return this.flash(`unknown host '${name}' (known: ${this.hosts.map(h => h.name).join(', ')})`, 'bad');
		if (ref.name === this.host.name) return this.flash(`already on ${ref.name}`);
		await this.showHost(this.net.backendFor(ref), `switched to ${ref.name}${ref.url ? ` (${ref.url})` : ref.local ? ' (this host)' : ''}`);
	}

	/** Reads a backend and, when that works, shows it (a host, or the demo's sandbox). */
	async showHost(b: Backend, done: string, view?: ViewRef): Promise<boolean> {
		const ref = b.host;
		const bottom = this.state.stack[0]!.view;
		const to: ViewRef = view ?? (bottom.id === 'hosts' || bottom.id === 'app' || bottom.id === 'routes' ? {id: 'apps'} : {id: bottom.id});
		const back = this.state.mode;
		this.store.mode({kind: 'busy', text: `connecting to ${ref.name}${ref.url ? ` (${ref.url})` : ''}…`});
		let ok = false;
		try {
			const data = await this.net.read(b, to);
			this.net.use(b);
			this.store.update({data: this.net.withHosts(data), loading: false, loadError: undefined});
			this.setState({...this.state, stack: [frameOf(to)], mode: {kind: 'normal'}, flash: {text: done, tone: 'good', at: this.now()}});
			this.fillRoutesArg();
			ok = true;
		} catch (e) {
			this.net.failed(ref, message(e));
			if (this.data) this.store.update({data: this.net.withHosts(this.data)});
			this.mode(back.kind === 'busy' ? {kind: 'normal'} : back, {text: `cannot switch to ${ref.name}: ${message(e)}`, tone: 'bad'});
		}
		if (this.quitAfterBusy) this.quit();
		return ok;
	}

	/** A routes view opened before any data names its network: the first network. */
	private fillRoutesArg(): void {
		const first = this.data?.snap.networks[0]?.name;
		if (!first || !this.state.stack.some(f => f.view.id === 'routes' && !f.view.arg)) return;
		this.setState({...this.state, stack: this.state.stack.map(f => (f.view.id === 'routes' && !f.view.arg ? {...f, view: {id: 'routes', arg: first}} : f))});
	}

	// --- the current view ---

	shown(frame: Frame = this.top): Shown {
		if (!this.data) return {table: {columns: [], rows: [], widths: []}, rows: [], index: new Map()};
		return filterTable(tableFor(frame.view, this.data), frame.filter, frame.marked);
	}

	selectedRow(): ViewRow | undefined {
		const {rows, index} = this.shown();
		return rows[selectedIndex(this.top, index, rows.length)];
	}

	setTop(frame: Frame): void {
		this.setState({...this.state, stack: [...this.state.stack.slice(0, -1), frame]});
	}

	flash(text: string, tone: Tone = 'info'): void {
		this.setState({...this.state, flash: {text, tone, at: this.now()}});
	}

	mode(mode: Mode, say?: Say): void {
		this.store.mode(mode, say ? {text: say.text, tone: say.tone ?? 'info', at: this.now()} : undefined);
	}

	flashShown(): Flash | undefined {
		const f = this.state.flash;
		return f && this.now() - f.at < FLASH_MS ? f : undefined;
	}

	move(to: (current: number, count: number) => number): void {
		const {rows, index} = this.shown();
		if (rows.length === 0) return;
		const cur = selectedIndex(this.top, index, rows.length);
		const next = Math.max(0, Math.min(rows.length - 1, to(cur, rows.length)));
		this.setTop({...this.top, index: next, key: rows[next]!.key});
	}

	/** Opens a view: a top-level one replaces the stack, a drill-down is pushed (Esc comes back). The flash clears. */
	open(view: ViewRef, push = false): void {
		const v: ViewRef = view.id === 'routes' && !view.arg ? {id: 'routes', ...((networkHere(this) ?? this.data?.snap.networks[0]?.name) ? {arg: networkHere(this) ?? this.data!.snap.networks[0]!.name} : {})} : view;
		const stack = push ? [...this.state.stack, frameOf(v)] : [frameOf(v)];
		const {flash: _gone, ...rest} = this.state;
		this.setState({...rest, stack, mode: {kind: 'normal'}});
		const need = this.net.needOf(v);
		const missing = (need.ifaces && !this.data?.ifaces) || (need.app !== undefined && this.data?.app?.name !== need.app) || need.peers;
		if (missing || v.id === 'routes') void this.refresh();
		this.fillRoutesArg();
	}

	back(): void {
		if (this.top.filter !== '') return this.setTop({...this.top, filter: '', col: 0});
		if (this.state.stack.length > 1) {
			const {flash: _gone, ...rest} = this.state;
			this.setState({...rest, stack: this.state.stack.slice(0, -1)});
		}
	}

	// --- keys ---

	key(k: Key): void {
		this.keysHandled++;
		if (this.state.mode.kind === 'busy') {
			if (named(k, 'ctrl-c')) {
				this.quitAfterBusy = true;
				this.flash('quitting once the running action finishes…');
			}
			return;
		}
		if (named(k, 'ctrl-c')) return this.quit();
		dispatch(this, k);
	}

	keys(list: readonly Key[]): void {
		for (const k of list) this.key(k);
	}

	quit(): void {
		if (this.state.quit) return;
		const before = this.beforeQuit;
		if (before) {
			this.beforeQuit = undefined;
			this.store.mode({kind: 'busy', text: 'cleaning up before quitting…'});
			void before().catch(() => {}).then(() => this.quit());
			return;
		}
		this.stop();
		this.setState({...this.state, quit: true});
		this.onQuit?.();
	}

	demo(arg: string): void {
		if (!this.demoHook) return this.flash('the guided demo needs the console on this host (nsdeck demo)', 'bad');
		this.demoHook(this, arg);
	}

	// --- actions (run.ts) ---

	settle<T>(run: () => Maybe<T>, busy: string, done: (value: T) => void, failed: (e: unknown) => void): void {
		settle(this, run, busy, done, failed);
	}

	preview<T>(form: Form, run: () => Maybe<T>, confirm: (value: T) => Mode | void): void {
		settle(this, run, `previewing on ${this.host.name}…`, v => {
			const m = confirm(v);
			if (m) this.mode(m);
		}, e => this.mode({kind: 'form', form}, {text: message(e), tone: 'bad'}));
	}

	apply(a: Apply): Promise<void> {
		return apply(this, a);
	}

	/** a quit asked for while busy (Ctrl-C), done when the work is */
	get quitting(): boolean {
		return this.quitAfterBusy;
	}

	busy(text: string): void {
		this.store.mode({kind: 'busy', text});
	}
}
