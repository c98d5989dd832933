// The header (host, controller, counts, drift, age of the data, READONLY) and the title bar (the view, its stack, the
// filter, or the `:` line with its completion).
import {Box, Text} from 'ink';
import type {ConsoleController} from '../controller.js';
import {commandCandidates} from '../command.js';
import type {ConsoleView} from '../state.js';
import type {Theme} from '../theme.js';
import {headerText, titleParts} from './text.js';

export function Header({view, controller, theme, width, demo}: {view: ConsoleView; controller: ConsoleController; theme: Theme; width: number; demo?: string}) {
	const {text, tag, drift} = headerText(view, controller, width, demo);
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
	const {title, filter, cursor, tabs} = titleParts(view, controller, width, shown, total);
	return (
		<Text wrap="truncate">
			<Text bold {...(theme.color('accent') ? {color: theme.color('accent')!} : {})}>
				{title}
			</Text>
			<Text bold>{filter}</Text>
			{cursor ? <Text inverse> </Text> : null}
			<Text dimColor>{tabs}</Text>
		</Text>
	);
}
