// Panels of lines (previews, explanations, help): scrolled with j/k when longer than the room they have.
import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import type {Line} from '../../provision/text.js';
import {fit} from '../format.js';
import type {Theme} from '../theme.js';

const color = (theme: Theme, tone: Parameters<Theme['color']>[0]) => (theme.color(tone) ? {color: theme.color(tone)!} : {});

export function Lines({lines, height, width, theme, scroll = 0, indent = '   '}: {lines: readonly Line[]; height: number; width: number; theme: Theme; scroll?: number; indent?: string}) {
	const room = Math.max(1, height);
	const from = Math.max(0, Math.min(scroll, lines.length - room));
	const more = lines.length - from > room;
	const shown = lines.slice(from, from + (more ? room - 1 : room));
	return (
		<Box flexDirection="column">
			{shown.map((l, i) => (
				<Text key={i} wrap="truncate" {...color(theme, l.tone)}>
					{fit(`${indent}${l.text}`, width, false)}
				</Text>
			))}
			{more ? <Text dimColor>{`  … ${lines.length - from - shown.length} more lines (j/k to scroll)`}</Text> : null}
		</Box>
	);
}

export function Panel({title, children, height, theme, tone = 'accent'}: {title: string; children: ReactNode; height: number; theme: Theme; tone?: 'accent' | 'warn' | 'bad' | 'good'}) {
	return (
		<Box flexDirection="column" height={height} overflowY="hidden">
			<Text bold wrap="truncate" {...color(theme, tone)}>
				{` ${title}`}
			</Text>
			{children}
		</Box>
	);
}
