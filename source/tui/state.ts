// The console's state as plain data: a stack of frames (the views opened, drill-downs pushed on top), the mode the
// keys are in, the flash line. Everything the screen shows is a function of this and the data last read.
import type {Line} from '../provision/text.js';
import type {Backend} from './backend.js';
import type {Data} from './data.js';
import type {Form} from './form.js';
import type {ViewRef} from './views.js';

export type Frame = {
	readonly view: ViewRef;
	/** the selected row, by key, so it stays on the same thing across refreshes */
	readonly key?: string;
	readonly index: number;
	readonly filter: string;
	/** a matrix: the selected scrolling column (position among those shown) */
	readonly col?: number;
	/** a matrix: only the rows and columns that hold a mark */
	readonly marked?: boolean;
};

export type Tone = 'good' | 'bad' | 'info';
export type Flash = {readonly text: string; readonly tone: Tone; readonly at: number};

/** What `y` at a confirmation runs: a change on the host shown, then what the screen says about it. */
export type Apply = {readonly what: string; readonly run: (b: Backend) => Promise<Done>};
export type Done = {readonly text: string; readonly tone?: Tone; readonly next?: Mode; readonly after?: () => void};

export type Mode =
	| {readonly kind: 'normal'}
	| {readonly kind: 'filter'; readonly text: string}
	| {readonly kind: 'command'; readonly text: string}
	| {readonly kind: 'help'; readonly scroll?: number}
	| {readonly kind: 'form'; readonly form: Form}
	| {readonly kind: 'confirm'; readonly title: string; readonly lines: readonly Line[]; readonly apply: Apply; readonly scroll?: number}
	| {readonly kind: 'info'; readonly title: string; readonly lines: readonly Line[]; readonly scroll?: number; readonly enter?: {readonly label: string; readonly run: () => void}}
	| {readonly kind: 'busy'; readonly text: string};

export type UiState = {readonly stack: readonly Frame[]; readonly mode: Mode; readonly flash?: Flash; readonly quit: boolean};

export type ConsoleView = {readonly state: UiState; readonly data?: Data; readonly loading: boolean; readonly loadError?: string; readonly version: number};

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

export function message(e: unknown): string {
	return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}
