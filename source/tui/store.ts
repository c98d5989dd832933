// The console's state as an external store for React (useSyncExternalStore): one immutable view, replaced on every
// change, and the listeners told. Keys change it synchronously, so a burst of keys always sees what the previous
// key left, whatever React has rendered meanwhile.
import type {ConsoleView, Flash, Mode, UiState} from './state.js';

export class ViewStore {
	private view: ConsoleView;
	private readonly listeners = new Set<() => void>();

	constructor(state: UiState) {
		this.view = {state, loading: true, version: 0};
	}

	subscribe = (fn: () => void): (() => void) => {
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	};

	getView = (): ConsoleView => this.view;

	update(patch: Partial<Omit<ConsoleView, 'version'>>): void {
		this.view = {...this.view, ...patch, version: this.view.version + 1};
		for (const fn of this.listeners) fn();
	}

	get state(): UiState {
		return this.view.state;
	}

	setState(state: UiState): void {
		this.update({state});
	}

	mode(mode: Mode, flash?: Flash): void {
		this.setState({...this.view.state, mode, ...(flash ? {flash} : {})});
	}
}
