// A form: one line per field with its value, its check (✗ and why, or ✓) and, while typing, the candidates that match.
import {Text} from 'ink';
import {errorsOf, matchesOf, type Form} from '../form.js';
import {fit} from '../format.js';
import type {Theme} from '../theme.js';
import {Panel} from './lines.js';

export function FormPanel({form, height, width, theme}: {form: Form; height: number; width: number; theme: Theme}) {
	const errors = errorsOf(form);
	const focused = form.fields[form.focus]!;
	const candidates = focused.kind === 'text' && focused.complete ? matchesOf(focused.suggested ? '' : focused.value, focused.complete) : [];
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
			{candidates.length > 0 ? <Text wrap="truncate" dimColor>{fit(`   ${' '.repeat(18)}${candidates.length === 1 ? 'Tab: ' : `${candidates.length} known: `}${candidates.slice(0, 12).join('  ')}${candidates.length > 12 ? '  …' : ''}`, width, false)}</Text> : null}
			<Text dimColor>{`   Enter: ${form.enter}   Esc: cancel`}</Text>
		</Panel>
	);
}
