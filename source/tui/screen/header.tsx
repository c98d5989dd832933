// The header (host, controller, counts, drift, age of the data, READONLY) and the title bar (the view, its stack, the
// filter, or the `:` line with its completion).
import {Box, Text} from 'ink';
import type {ConsoleController} from '../controller.js';
import {commandCandidates} from '../command.js';
import {ago, fit} from '../format.js';
import type {ConsoleView} from '../state.js';
import type {Theme} from '../theme.js';
import {driftCount} from '../views/trust.js';
import {VIEWS, viewTitle} from '../views.js';

export function Header({view, controller, theme, width, demo}: {view: ConsoleView; controller: ConsoleController; theme: Theme; width: number; demo?: string}) {
	const s = view.data?.snap;
	const age = view.data ? ago(controller.now() - view.data.loadedAt) : 'loading…';
	const h = controller.host;
	// another host says where it is read from; one that stopped answering is marked, its last data still shown
	const where = h.local ? '' : ` @ ${h.url}`;
	const drift = s ? driftCount(s) : 0;
	// a host shown in process under another name (the demo's sandbox) says that name
	const name = s && h.local && h.name === 'demo' ? `demo (on ${s.host})` : s?.host;
	const parts = s
		? [`host ${name}${where}`, `controller ${s.controller}`, ...(s.prefix ? [`prefix ${s.prefix}`] : []), `${s.networks.length} nets`, `${s.apps.length} apps`, `${s.routes.length} routes`, `drift ${drift}`, `refreshed ${age}`]
		: [`host ${h.name}${where}`, 'loading…'];
	if (view.loadError) parts.splice(1, 0, h.local ? '✗ read failed' : '✗ unreachable');
	if (controller.hosts.length > 1) parts.push(`${controller.hosts.length} hosts`);
	if (s && !s.kernelRead) parts.push('kernel not read');
	const tag = controller.readonly ? ' READONLY ' : demo ? ` ${demo} ` : '';
	const text = fit(` nsdeck │ ${parts.join(' │ ')}`, width - tag.length, false);
	const tone = drift > 0 ? 'bad' : 'title';
	return (
		<Box>
			<Text bold wrap="truncate" {...(theme.color(tone) ? {color: theme.color(tone)!} : {})}>
				{text}
			</Text>
			{tag ? (
				<Text bold inverse {...(theme.color('warn') ? {color: theme.color('warn')!} : {})}>
					{tag}
				</Text>
			) : null}
		</Box>
	);
}

export function TitleBar({view, controller, theme, width, shown, total}: {view: ConsoleView; controller: ConsoleController; theme: Theme; width: number; shown: number; total: number}) {
	const m = view.state.mode;
	const top = controller.top;
	if (m.kind === 'command') {
		const c = commandCandidates(controller, m.text);
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
	const tabs = VIEWS.filter(v => v.key).map(v => `${v.key} ${v.name}`).join('  ');
	const stack = controller.state.stack;
	const title = ` ${viewTitle(top.view)}${stack.length > 1 ? ' ‹ ' + stack.slice(0, -1).map(f => viewTitle(f.view)).reverse().join(' ‹ ') : ''} [${!view.data ? '…' : top.filter ? `${shown}/${total}` : total}]${top.marked ? ' marked only' : ''}`;
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
