// Running what a key starts: a step that is immediate on this host and a request on another (`busy` shows only while
// it waits), and an action's apply: the change, a refresh, then the result on screen with the host as it is now. A
// quit asked for meanwhile (Ctrl-C) happens once the work is done.
import type {Maybe} from './backend.js';
import type {Ctl, Say} from './ctl.js';
import {message, type Apply, type Mode} from './state.js';

type Runs = Ctl & {readonly quitting: boolean; busy(text: string): void};

export function settle<T>(c: Runs, run: () => Maybe<T>, busy: string, done: (value: T) => void, failed: (e: unknown) => void): void {
	let v: Maybe<T>;
	try {
		v = run();
	} catch (e) {
		return failed(e);
	}
	if (!(v instanceof Promise)) return done(v);
	c.busy(busy);
	void v.then(done, failed).then(() => {
		if (c.quitting) c.quit();
	});
}

export async function apply(c: Runs, a: Apply): Promise<void> {
	const b = c.backend;
	c.busy(`${a.what}${b.host.local ? '' : ` on ${b.host.name}`}…`);
	let say: Say;
	let next: Mode = {kind: 'normal'};
	let after: (() => void) | undefined;
	try {
		const d = await a.run(b);
		say = {text: d.text, tone: d.tone ?? 'good'};
		next = d.next ?? next;
		after = d.after;
	} catch (e) {
		say = {text: `${a.what} failed: ${message(e)}`, tone: 'bad'};
	}
	// the screen shows the result and the host as it is now, together
	if (!c.quitting) await c.refresh();
	after?.();
	c.mode(next, say);
	if (c.quitting) c.quit();
}
