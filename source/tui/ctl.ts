// What keys, commands and actions may do to the console: the controller implements it; bindings and actions see only
// this, so each action module is its form, its preview and its apply, and nothing of how the console is wired.
import type {Backend, HostRef, Maybe} from './backend.js';
import type {Data} from './data.js';
import type {Form} from './form.js';
import type {Apply, Frame, Mode, Tone, UiState} from './state.js';
import type {Shown} from './views/filter.js';
import type {ViewRef, ViewRow} from './views.js';

export type Say = {readonly text: string; readonly tone?: Tone};

export interface Ctl {
	readonly readonly: boolean;
	readonly data: Data | undefined;
	/** why the last read failed, if it did */
	readonly loadError: string | undefined;
	readonly backend: Backend;
	readonly host: HostRef;
	readonly hosts: readonly HostRef[];
	readonly state: UiState;
	readonly top: Frame;
	/** rows that fit on screen (PgUp/PgDn move by it) */
	readonly pageSize: number;
	now(): number;
	/** what the top frame (or another) shows of its table under its filter */
	shown(frame?: Frame): Shown;
	selectedRow(): ViewRow | undefined;
	setTop(frame: Frame): void;
	setState(state: UiState): void;
	mode(mode: Mode, say?: Say): void;
	flash(text: string, tone?: Tone): void;
	open(view: ViewRef, push?: boolean): void;
	back(): void;
	move(to: (current: number, count: number) => number): void;
	refresh(): Promise<void>;
	switchHost(name: string): Promise<void>;
	/** a step immediate on this host and a request on another: `busy` shows only while it waits */
	settle<T>(run: () => Maybe<T>, busy: string, done: (value: T) => void, failed: (e: unknown) => void): void;
	/** a valid form's preview becomes a confirmation; a refused one goes back to the form and says why */
	preview<T>(form: Form, run: () => Maybe<T>, confirm: (value: T) => Mode | void): void;
	/** runs a change on the host shown, refreshes, then shows the result with the host as it is now */
	apply(a: Apply): Promise<void>;
	/** `:demo` and `:demo clean` */
	demo(arg: string): void;
	quit(): void;
}
