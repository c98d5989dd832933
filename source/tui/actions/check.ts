// Field checks for the forms: the same validators the CLI uses (they throw UsageError); the message is the error.
import {message} from '../state.js';

export function check(fn: () => unknown): string | undefined {
	try {
		fn();
		return undefined;
	} catch (e) {
		return message(e);
	}
}

/** ` on h2` when the host shown is another one: every title of a change says where it happens. */
export function onHost(local: boolean, name: string): string {
	return local ? '' : ` on ${name}`;
}
