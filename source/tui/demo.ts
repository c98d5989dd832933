// The guided demo in the console (`:demo`, `nsdeck demo`): the console switches to the demo's sandbox and walks
// through the scenario (provision/demo.ts) as steps. Each step is a card: what to look at and what to press; Enter
// does it for you, Esc lets you do it by keys. When the step's change is in place (or its panel was seen), its proof
// runs on the kernel and its result is shown, ✓ or ✗ per check. `:demo` shows the current card again; `:demo clean`
// (or quitting) removes the demo.
import {autoTarget, DEMO, demoAddress, doStep, prove, stepDone, type DemoPlace, type Proof, type StepId} from '../provision/demo.js';
import type {Line} from '../provision/text.js';
import {LocalBackend, type Backend} from './backend.js';
import type {ConsoleController} from './controller.js';
import {peerLines} from './peer.js';
import {message} from './state.js';

/** A demo built and ready: where its apps live, the backend the console shows, and how to remove it all. */
export type DemoWorld = {readonly place: DemoPlace; readonly clean: () => Promise<void>; readonly where: string; /** the demo's own host to show; undefined: the console is on it already */ readonly backend: Backend | undefined};

type Step = {
	readonly id: StepId | 'end';
	readonly title: string;
	readonly look: readonly string[];
	readonly keys: readonly string[];
	/** seen on screen: a step that changes nothing is done once its view or panel was shown */
	readonly seen?: (c: ConsoleController) => boolean;
};

const rt = (c: DemoDriver, network: string) => c.target(network);

/** The second step from the client's side on one host; across hosts from web's (the client is on another host). */
function lostStep(d: DemoDriver): Step {
	if (d.sameHost) {
		return {
			id: 'lost', title: 'the request arrives, the reply is lost',
			look: [`${DEMO.client} asks ${DEMO.web}: the request goes through ${DEMO.office}, which holds ${DEMO.web}'s address.`, `${DEMO.web} answers by its default route, into ${DEMO.out}, which holds no route back to ${DEMO.office}.`, 'Both legs, each in its VRF, and the target that would fix the missing one:'],
			keys: [`1 (apps), select ${DEMO.client}, x, peer ${DEMO.web} (Tab completes), Enter; Esc when read`],
			seen: c => c.state.mode.kind === 'info' && c.state.mode.title.startsWith(`explain ${DEMO.client} ${DEMO.web}`),
		};
	}
	const peer = d.peerAddress();
	return {
		id: 'lost', title: `${DEMO.web}'s answers to ${DEMO.office} are lost`,
		look: [`${DEMO.client} (on another host) reaches ${DEMO.web} through ${DEMO.office}, which holds ${DEMO.web}'s address from BGP.`, `${DEMO.web} answers by its default route, into ${DEMO.out}, which holds no route to ${DEMO.client} (${peer}).`, 'The leg, its VRF, and the target that would fix it:'],
		keys: [`1 (apps), select ${DEMO.web}, x, peer ${peer}, Enter; Esc when read`],
		seen: c => c.state.mode.kind === 'info' && c.state.mode.title.startsWith(`explain ${DEMO.web} ${peer}`),
	};
}

function steps(d: DemoDriver): Step[] {
	return [
		{
			id: 'look', title: 'an app with its own outbound network',
			look: [`${DEMO.web} runs an HTTP daemon; its inbound network is ${DEMO.front} (where clients reach it), its outbound network ${DEMO.out}:`, `its default route leaves by ${DEMO.out}, so ${DEMO.out}'s routes decide where ${DEMO.web}'s traffic goes (DEFAULT-VIA).`, `${DEMO.client} sits in ${DEMO.office}, which imports ${DEMO.front}'s routes (import-only): it can reach ${DEMO.web}.`],
			keys: [`1 (apps), select ${DEMO.web}, Enter: its namespace, interfaces and the routes of both its VRFs`],
			seen: c => c.top.view.id === 'app' && c.top.view.arg === DEMO.web,
		},
		lostStep(d),
		{
			id: 'import', title: `${DEMO.out} imports ${DEMO.office}'s routes, import-only`,
			look: [`The blog's point: ${DEMO.web}'s outbound network imports the clients' routes, and only imports them (${DEMO.office} gets nothing back).`, `The preview shows ${DEMO.out} gaining ${DEMO.client}'s route, and ${DEMO.client} reaching ${DEMO.web} (both legs), before anything changes.`],
			keys: [`2 (nets), select ${DEMO.out}, i, type ${rt(d, DEMO.office)} (Tab completes), Enter, read the preview, y`],
		},
		{
			id: 'uplink', title: `${DEMO.web}'s outbound traffic leaves by the uplink`,
			look: [`The uplink's default route (${DEMO.uplink.prefix} via ${DEMO.uplink.via}) carries target ${DEMO.uplink.rt}; no network imports it yet.`, `Importing it into ${DEMO.out} only, import-only, sends ${DEMO.web}'s outbound traffic to the gateway and nobody else's.`],
			keys: [`2 (nets), select ${DEMO.out}, i, type ${DEMO.uplink.rt}, Enter, y; then 4 (targets) to see the matrix`],
		},
		{
			id: 'end', title: 'done: every step proven on the kernel',
			look: [`The demo lives in ${d.world.where}, apart from this host's own networks and apps.`, ':demo clean (or q) removes all of it: namespaces, links, processes, state.'],
			keys: ['Enter: remove the demo now and go back; Esc: stay and look around'],
		},
	];
}

export class DemoDriver {
	private readonly list: Step[];
	private at = 0;
	private phase: 'card' | 'proving' | 'proven' = 'card';
	private seen = false;
	private off: (() => void) | undefined;
	private ended = false;

	constructor(private readonly c: ConsoleController, readonly world: DemoWorld, private readonly onEnd: () => Promise<void>) {
		this.list = steps(this);
	}

	/** web and the client on one host (else the client is on another lab host) */
	get sameHost(): boolean {
		return this.world.place.web === this.world.place.client;
	}

	peerAddress(): string {
		return demoAddress(this.world.place, DEMO.client);
	}

	target(network: string): string {
		const ctx = network === DEMO.office ? this.world.place.client : this.world.place.web;
		return autoTarget(ctx, network).replace('target:', '');
	}

	/** `DEMO 2/5` in the header. */
	tag(): string {
		return this.ended ? '' : `DEMO ${Math.min(this.at + 1, this.list.length)}/${this.list.length}`;
	}

	start(): void {
		this.off = this.c.subscribe(() => this.watch());
		this.card();
	}

	stop(): void {
		this.off?.();
		this.ended = true;
	}

	private get step(): Step {
		return this.list[this.at]!;
	}

	/** The current step's card (again, on `:demo`). */
	card(): void {
		const s = this.step;
		this.phase = 'card';
		const lines: Line[] = [...s.look.map(text => ({text})), {text: ''}, {text: 'by keys:', tone: 'accent'}, ...s.keys.map(text => ({text: `  ${text}`}))];
		this.c.mode({kind: 'info', title: `demo ${this.at + 1}/${this.list.length}: ${s.title}`, lines, enter: {label: s.id === 'end' ? 'remove the demo' : 'do it for me', run: () => void this.doIt()}});
	}

	private async doIt(): Promise<void> {
		const s = this.step;
		const c = this.c;
		try {
			if (s.id === 'end') return void (await this.onEnd());
			if (s.id === 'look') {
				c.open({id: 'apps'});
				c.open({id: 'app', arg: DEMO.web}, true);
				return;
			}
			if (s.id === 'lost') {
				const [app, peer] = this.sameHost ? [DEMO.client, DEMO.web] : [DEMO.web, this.peerAddress()];
				c.mode({kind: 'busy', text: `explaining ${app} ↔ ${peer}…`});
				const e = await c.backend.explainPeer(app, peer);
				c.mode({kind: 'info', title: `explain ${app} ${peer}`, lines: peerLines(e)});
				return;
			}
			await c.apply({what: s.id === 'import' ? `rt add ${DEMO.out} ${this.target(DEMO.office)} --import-only` : `rt add ${DEMO.out} ${DEMO.uplink.rt} --import-only`, run: async () => {
				await doStep(this.world.place, s.id as StepId);
				return {text: `demo: ${DEMO.out} now imports ${s.id === 'import' ? `${DEMO.office}'s routes` : 'the uplink'} (import-only)`, tone: 'good'};
			}});
		} catch (e) {
			c.mode({kind: 'normal'}, {text: `demo: ${message(e)}`, tone: 'bad'});
		}
	}

	/** After every change of the console: has the step's change happened (and the operator is back to the views)? */
	private watch(): void {
		if (this.ended || this.phase !== 'card' || this.step.id === 'end') return;
		const s = this.step;
		if (s.seen?.(this.c)) this.seen = true;
		if (this.c.state.mode.kind !== 'normal') return;
		const done = s.seen ? this.seen : stepDone(this.world.place, s.id as StepId);
		if (done) void this.proveStep();
	}

	private async proveStep(): Promise<void> {
		const s = this.step;
		this.phase = 'proving';
		this.c.mode({kind: 'busy', text: `demo ${this.at + 1}/${this.list.length}: proving it on the kernel…`});
		let proofs: Proof[] = [];
		let error: string | undefined;
		try {
			proofs = await prove(this.world.place, s.id as StepId);
		} catch (e) {
			error = message(e);
		}
		this.phase = 'proven';
		const all = !error && proofs.every(p => p.ok);
		const lines: Line[] = [
			...(error ? [{text: `could not prove it: ${error}`, tone: 'bad' as const}] : proofs.map(p => ({text: `${p.ok ? '✓' : '✗'} ${p.what}   [${p.detail}]`, tone: p.ok ? ('good' as const) : ('bad' as const)}))),
			{text: ''},
			{text: all ? 'proven on the kernel, from inside the namespaces' : 'the kernel disagrees: see above (r refreshes, :demo shows the step again)', tone: all ? 'accent' : 'bad'},
		];
		this.c.mode({kind: 'info', title: `demo ${this.at + 1}/${this.list.length}: ${all ? 'proven' : 'NOT proven'}: ${s.title}`, lines, enter: {label: 'next step', run: () => this.next()}}, {text: `demo step ${this.at + 1}: ${all ? 'proven' : 'not proven'}`, tone: all ? 'good' : 'bad'});
		if (this.c.quitting) this.c.quit(); // Ctrl-C while it was proving
	}

	private next(): void {
		this.at = Math.min(this.at + 1, this.list.length - 1);
		this.seen = false;
		this.c.mode({kind: 'normal'});
		this.card();
	}
}

/** The single-host demo's backend: the demo's store and kernel, in process. */
export function demoBackend(place: DemoPlace, now: () => number): Backend {
	return new LocalBackend(place.web, undefined, now, 'demo');
}
