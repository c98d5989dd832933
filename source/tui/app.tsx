// The console's screen, k9s-style: a header (host, controller, counts, age of the data, READONLY), the view (a
// windowed table, or a form / preview / help over it), a one-line flash and a footer of the keys that work here.
import {Box, Text, useInput, useStdin, useStdout} from 'ink';
import {useEffect, useState, useSyncExternalStore} from 'react';
import type {ConsoleController, ConsoleView, Mode} from './controller.js';
import {selectedIndex} from './controller.js';
import {errorsOf} from './form.js';
import {ago, fit} from './format.js';
import type {Line} from '../provision/text.js';
import {decode} from './keys.js';
import {Table} from './table.js';
import type {Theme} from './theme.js';
import {filterRows, tableFor, TOP_VIEWS, viewTitle} from './views.js';

export type Size = {readonly columns: number; readonly rows: number};

function useSize(fixed: Size | undefined): Size {
	const {stdout} = useStdout();
	const read = (): Size => fixed ?? {columns: stdout.columns || 100, rows: stdout.rows || 30};
	const [size, setSize] = useState(read);
	useEffect(() => {
		if (fixed) return;
		const on = () => setSize(read());
		stdout.on('resize', on);
		return () => void stdout.off('resize', on);
	}, [stdout, fixed]);
	return fixed ?? size;
}

/** Keys go to the controller, one at a time, whatever the chunk they arrived in. */
function Keys({controller}: {controller: ConsoleController}) {
	const {isRawModeSupported} = useStdin();
	useInput((input, key) => controller.keys(decode(input, key)), {isActive: isRawModeSupported === true});
	return null;
}

function Header({view, controller, theme, width}: {view: ConsoleView; controller: ConsoleController; theme: Theme; width: number}) {
	const s = view.data?.snap;
	const age = view.data ? ago(controller.now() - view.data.loadedAt) : 'loading…';
	const h = controller.host;
	// another host says where it is read from; one that stopped answering is marked, its last data still shown
	const where = h.local ? '' : ` @ ${h.url}`;
	const parts = s
		? [`host ${s.host}${where}`, `controller ${s.controller}`, ...(s.prefix ? [`prefix ${s.prefix}`] : []), `${s.networks.length} nets`, `${s.apps.length} apps`, `${s.routes.length} routes`, `refreshed ${age}`]
		: [`host ${h.name}${where}`, 'loading…'];
	if (view.loadError) parts.splice(1, 0, h.local ? '✗ read failed' : '✗ unreachable');
	if (controller.hosts.length > 1) parts.push(`${controller.hosts.length} hosts`);
	if (s && !s.kernelRead) parts.push('kernel not read');
	const text = fit(` nsdeck │ ${parts.join(' │ ')}`, width - (controller.readonly ? 10 : 0), false);
	return (
		<Box>
			<Text bold wrap="truncate" {...(theme.color('title') ? {color: theme.color('title')!} : {})}>
				{text}
			</Text>
			{controller.readonly ? (
				<Text bold inverse {...(theme.color('warn') ? {color: theme.color('warn')!} : {})}>
					{' READONLY '}
				</Text>
			) : null}
		</Box>
	);
}

function TitleBar({view, controller, theme, width, shown, total}: {view: ConsoleView; controller: ConsoleController; theme: Theme; width: number; shown: number; total: number}) {
	const m = view.state.mode;
	const top = controller.top;
	if (m.kind === 'command') {
		const c = controller.commandCandidates(m.text);
		const rest = c.length > 0 && c[0]!.startsWith(m.text) ? c[0]!.slice(m.text.length) : '';
		return (
			<Text wrap="truncate">
				<Text bold>{` :${m.text}`}</Text>
				<Text inverse> </Text>
				<Text dimColor>{rest}</Text>
				<Text {...(theme.color('dim') ? {color: theme.color('dim')!} : {})}>{c.length > 1 ? `   ${c.slice(0, 8).join('  ')}` : c.length === 0 ? '   (no match)' : ''}</Text>
			</Text>
		);
	}
	const tabs = TOP_VIEWS.map(v => `${v.key} ${v.name}`).join('  ');
	const title = ` ${viewTitle(top.view)}${controller.state.stack.length > 1 ? ' ‹ ' + controller.state.stack.slice(0, -1).map(f => viewTitle(f.view)).reverse().join(' ‹ ') : ''} [${!view.data ? '…' : top.filter ? `${shown}/${total}` : total}]`;
	const filter = m.kind === 'filter' ? ` /${m.text}` : top.filter ? `  /${top.filter}` : '';
	const room = width - title.length - filter.length - (m.kind === 'filter' ? 1 : 0);
	return (
		<Text wrap="truncate">
			<Text bold {...(theme.color('accent') ? {color: theme.color('accent')!} : {})}>
				{title}
			</Text>
			<Text bold>{filter}</Text>
			{m.kind === 'filter' ? <Text inverse> </Text> : null}
			<Text dimColor>{room > tabs.length + 2 ? tabs.padStart(room - 1) : ''}</Text>
		</Text>
	);
}

function Lines({lines, height, width, theme, scroll = 0}: {lines: readonly Line[]; height: number; width: number; theme: Theme; scroll?: number}) {
	const room = Math.max(1, height);
	const more = lines.length - scroll > room;
	const shown = lines.slice(scroll, scroll + (more ? room - 1 : room));
	return (
		<Box flexDirection="column">
			{shown.map((l, i) => (
				<Text key={i} wrap="truncate" {...(theme.color(l.tone) ? {color: theme.color(l.tone)!} : {})}>
					{fit(`   ${l.text}`, width, false)}
				</Text>
			))}
			{more ? <Text dimColor>{`  … ${lines.length - scroll - shown.length} more lines (j/k to scroll)`}</Text> : null}
		</Box>
	);
}

function Panel({title, children, height, theme, tone = 'accent'}: {title: string; children: React.ReactNode; height: number; theme: Theme; tone?: 'accent' | 'warn' | 'bad'}) {
	return (
		<Box flexDirection="column" height={height} overflowY="hidden">
			<Text bold wrap="truncate" {...(theme.color(tone) ? {color: theme.color(tone)!} : {})}>
				{` ${title}`}
			</Text>
			{children}
		</Box>
	);
}

function FormPanel({mode, height, width, theme}: {mode: Extract<Mode, {kind: 'form'}>; height: number; width: number; theme: Theme}) {
	const form = mode.form;
	const errors = errorsOf(form);
	return (
		<Panel title={form.title} height={height} theme={theme}>
			{form.note ? <Text wrap="truncate" dimColor>{`   ${form.note}`}</Text> : null}
			{form.fields.map((f, i) => {
				const focus = i === form.focus;
				const err = errors[i];
				const value = f.kind === 'choice' ? `‹ ${f.value} ›` : f.value;
				// an empty required field is not an error yet, only when Enter is pressed
				const untouched = f.kind === 'text' && f.value === '' && !focus;
				const shownErr = untouched ? undefined : err;
				const hint = shownErr ?? (f.kind === 'choice' ? f.options.join(' | ') : f.value !== '' ? '✓' : (f.hint ?? (f.optional ? 'optional' : '')));
				const tone = shownErr ? 'bad' : 'dim';
				return (
					<Text key={f.name} wrap="truncate">
						<Text bold={focus}>{`${focus ? ' ▸ ' : '   '}${f.label.padEnd(17)} `}</Text>
						<Text inverse={focus && f.kind === 'choice'} dimColor={f.kind === 'text' && f.suggested === true}>{value}</Text>
						{focus && f.kind === 'text' ? <Text inverse> </Text> : <Text> </Text>}
						<Text {...(theme.color(tone) ? {color: theme.color(tone)!} : {dimColor: !shownErr})}>{fit(`  ${shownErr ? '✗ ' : ''}${hint}`, Math.max(0, width - 24 - value.length), false)}</Text>
					</Text>
				);
			})}
			<Text dimColor>{'   Enter: ' + (form.action.kind === 'ping' ? 'go on' : 'preview and confirm') + '   Esc: cancel'}</Text>
		</Panel>
	);
}

/** Every key, in two columns: views and moving on the left, actions on the right. */
export function helpColumns(readonly: boolean): [Line[], Line[]] {
	const k = (keys: string, what: string): Line => ({text: `${keys.padEnd(14)} ${what}`});
	const left: Line[] = [
		{text: 'views', tone: 'accent'},
		...TOP_VIEWS.map(v => k(`${v.key}  :${v.name}${v.id === 'routes' ? ' NET' : ''}`, {apps: 'apps, default route, process, drift', nets: 'networks: subnets, addresses, targets', routes: 'one VRF: origin, target, installed', targets: 'networks × route targets (I E IE)', ifaces: 'interfaces: state, peer, rp_filter', log: 'audit log, newest first', hosts: 'hosts: reachable, counts; Enter switches'}[v.id])),
		{text: 'moving', tone: 'accent'},
		k('j/k ↓/↑', 'down / up'),
		k('g/G', 'first / last row'),
		k('PgDn/PgUp', 'a page (also ^F/^B)'),
		k('Enter', 'drill down (app, network); explain a route'),
		k('Esc', 'clear the filter, then back'),
		k('/', 'filter, live; Enter keeps, Esc clears'),
		k(':', 'command; Tab completes (:app NAME, :q)'),
		k(':host NAME', 'switch to another host (also :ctx NAME)'),
		k('r', 'refresh now (also on a timer)'),
		k('?', 'this help'),
		k('q  Ctrl-C', 'quit'),
	];
	const right: Line[] = [
		{text: readonly ? 'actions: disabled (read-only console)' : 'actions (each previews and asks y/n)', tone: readonly ? 'warn' : 'accent'},
		...(readonly
			? [k('x', 'explain the selected route (reads only)')]
			: [
					k('b', 'bind an app: name, networks, address, command'),
					k('u', 'unbind the selected app'),
					k('o', 'outbound network of the app: set, move, clear'),
					k('i', 'import-only targets of the network: add, remove'),
					k('e', 'export targets of the network: add, remove'),
					k('x', 'explain the selected route'),
					k('p', 'ping from the selected app'),
				]),
		{text: 'in forms', tone: 'accent'},
		k('Tab ↓ / ↑', 'next / previous field; Tab completes'),
		k('← → space', 'pick a choice'),
		k('Enter', 'preview, then y applies, n cancels'),
	];
	return [left, right];
}

function HelpPanel({readonly, height, width, theme}: {readonly: boolean; height: number; width: number; theme: Theme}) {
	const [left, right] = helpColumns(readonly);
	const half = Math.floor(width / 2);
	if (width < 110) {
		return <Panel title="keys" height={height} theme={theme}><Lines lines={[...left, ...right]} height={height - 1} width={width} theme={theme} /></Panel>;
	}
	return (
		<Panel title="keys" height={height} theme={theme}>
			<Box flexDirection="row">
				<Box width={half} flexDirection="column"><Lines lines={left} height={height - 1} width={half} theme={theme} /></Box>
				<Box width={width - half} flexDirection="column"><Lines lines={right} height={height - 1} width={width - half} theme={theme} /></Box>
			</Box>
		</Panel>
	);
}

function footerKeys(view: ConsoleView, controller: ConsoleController): string {
	const m = view.state.mode;
	if (m.kind === 'filter') return 'type to filter   ↑/↓ move   Enter keep   Esc clear';
	if (m.kind === 'command') return 'Tab complete   Enter go   Esc cancel';
	if (m.kind === 'form') return 'Tab/↓ next field   ↑ previous   ←/→ space choose   Enter preview   Esc cancel';
	if (m.kind === 'confirm') return 'y apply   n/Esc cancel   j/k scroll';
	if (m.kind === 'help' || m.kind === 'info') return 'Esc close';
	if (m.kind === 'busy') return 'working…';
	const id = controller.top.view.id;
	const keys = ['j/k move', 'g/G', 'Enter drill', ...(controller.state.stack.length > 1 || controller.top.filter ? ['Esc back'] : []), '/ filter', ': cmd', '? help', 'r refresh', 'q quit'];
	const acts: string[] = [];
	if (!controller.readonly) {
		acts.push('b bind');
		if (id === 'apps' || id === 'app') acts.push('u unbind', 'o outbound', 'p ping');
		if (id === 'ifaces') acts.push('p ping');
		if (id === 'nets' || id === 'targets' || id === 'routes' || id === 'app') acts.push('i import', 'e export');
	}
	if (id === 'routes' || id === 'app') acts.push('x explain');
	if (id === 'hosts') acts.unshift('Enter switch host');
	return [...acts, ...keys].join('  ');
}

function AppPanel({view, width, theme}: {view: ConsoleView; width: number; theme: Theme}) {
	const name = view.state.stack.at(-1)!.view.arg;
	const a = view.data?.snap.apps.find(x => x.name === name);
	if (!a) return <Text dimColor>{` no app '${name}' (unbound?)`}</Text>;
	const detail = view.data?.app?.name === name ? view.data?.app : undefined;
	const def = detail?.routes.find(r => r.dst === 'default');
	const lines: Line[] = [
		{text: ` ${a.namespace} (${a.kind})  default via ${a.defaultVia}${def ? ` [${def.via ?? ''} dev ${def.dev ?? ''}]` : ''}  process ${a.process ? `${a.process.pid} ${a.process.running ? 'running' : 'gone'}` : '-'}  ${a.drift.length ? `drift: ${a.drift.join('; ')}` : 'in sync'}`, ...(a.drift.length ? {tone: 'bad' as const} : {})},
		...(detail
			? detail.ifaces.map(i => ({text: `   ${i.name.padEnd(7)} ${i.state.padEnd(10)} ${(i.addresses.join(',') || '-').padEnd(18)} peer ${(i.peer || '-').padEnd(22)} rp_filter ${i.rpFilter || '-'}`}))
			: a.ifaces.map(i => ({text: `   ${i.inner.padEnd(7)} ${i.address.padEnd(18)} ${i.network} (${i.role === 'in' ? 'inbound' : 'outbound'})`}))),
	];
	return <Lines lines={lines} height={lines.length} width={width} theme={theme} />;
}

export type ConsoleProps = {readonly controller: ConsoleController; readonly theme: Theme; readonly size?: Size; readonly windowed?: boolean};

export function Console({controller, theme, size: fixed, windowed = true}: ConsoleProps) {
	const view = useSyncExternalStore(controller.subscribe, controller.getView);
	const {columns: width, rows} = useSize(fixed);
	// one line spare: a frame as tall as the terminal makes Ink clear the screen on every render
	const height = Math.max(8, rows - 1);
	const m = view.state.mode;
	const top = controller.top;
	const appPanel = top.view.id === 'app' && view.data ? <AppPanel view={view} width={width} theme={theme} /> : null;
	const panelLines = appPanel ? 1 + (view.data?.app?.name === top.view.arg ? view.data?.app?.ifaces.length ?? 0 : (view.data?.snap.apps.find(a => a.name === top.view.arg)?.ifaces.length ?? 0)) : 0;
	const body = height - 4 - panelLines; // header, title, flash, footer
	const tableRows = Math.max(1, body - 1);
	controller.pageSize = tableRows;

	const table = view.data ? tableFor(top.view, view.data) : undefined;
	const f = table ? filterRows(table, top.filter) : undefined;
	const selected = f ? selectedIndex(top, f.index, f.rows.length) : 0;
	let main: React.ReactNode;
	if (m.kind === 'help') main = <HelpPanel readonly={controller.readonly} height={body} width={width} theme={theme} />;
	else if (m.kind === 'form') main = <FormPanel mode={m} height={body} width={width} theme={theme} />;
	else if (m.kind === 'confirm') main = <Panel title={`${m.title}  (y/n)`} height={body} theme={theme} tone="warn"><Lines lines={m.lines} height={body - 1} width={width} theme={theme} {...(m.scroll ? {scroll: m.scroll} : {})} /></Panel>;
	else if (m.kind === 'info') main = <Panel title={m.title} height={body} theme={theme}><Lines lines={m.lines} height={body - 1} width={width} theme={theme} {...(m.scroll ? {scroll: m.scroll} : {})} /></Panel>;
	else if (m.kind === 'busy') main = <Panel title={m.text} height={body} theme={theme} tone="warn"><Text dimColor>{'   applying: writing intent, then converging the kernel…'}</Text></Panel>;
	else if (!table || !f) main = <Panel title={view.loadError ? `cannot read the host: ${view.loadError}` : 'loading…'} height={body} theme={theme} tone={view.loadError ? 'bad' : 'accent'}>{null}</Panel>;
	else if (top.view.id === 'ifaces' && !view.data?.ifaces) main = <Panel title="reading every namespace…" height={body} theme={theme}>{null}</Panel>;
	else main = <Table key={`${top.view.id} ${top.view.arg ?? ''}`} columns={table.columns} widths={table.widths} rows={f.rows} selected={selected} height={tableRows} width={width} theme={theme} windowed={windowed} />;

	const flash = controller.flashShown() ?? (view.loadError ? {text: `refresh failed: ${view.loadError}`, tone: 'bad' as const} : undefined);
	const flashTone = flash?.tone === 'good' ? 'good' : flash?.tone === 'bad' ? 'bad' : undefined;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Keys controller={controller} />
			<Header view={view} controller={controller} theme={theme} width={width} />
			<TitleBar view={view} controller={controller} theme={theme} width={width} shown={f?.rows.length ?? 0} total={table?.rows.length ?? 0} />
			{appPanel}
			<Box height={body} flexDirection="column" overflowY="hidden">
				{main}
			</Box>
			<Text wrap="truncate" {...(theme.color(flashTone) ? {color: theme.color(flashTone)!} : {})} bold={flash?.tone === 'bad'}>
				{flash ? fit(` ${flash.tone === 'bad' ? '✗ ' : flash.tone === 'good' ? '✓ ' : ''}${flash.text}`, width, false) : ' '}
			</Text>
			<Text wrap="truncate" dimColor>
				{fit(` ${footerKeys(view, controller)}`, width, false)}
			</Text>
		</Box>
	);
}
