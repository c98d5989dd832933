// `?`: every key, from the registry: views, moving and the matrix on the left; actions, forms and `:` commands on the
// right (one column in a narrow terminal). A read-only console lists its actions as disabled.
import {Box} from 'ink';
import type {Line} from '../../provision/text.js';
import type {Binding} from '../binding.js';
import {whereText} from '../binding.js';
import {ACTIONS, BINDINGS, FORM_HELP} from '../bindings.js';
import {COMMANDS} from '../command.js';
import type {Theme} from '../theme.js';
import {Lines, Panel} from './lines.js';
import {wrap} from './text.js';

const KEYW = 14;

function entry(keys: string, text: string, width: number): Line[] {
	return wrap(`${keys.padEnd(KEYW)} ${text}`, width, KEYW + 1).map(t => ({text: t}));
}

const group = (b: Binding, width: number) => entry(b.show, b.group === 'actions' && b.where !== 'all' ? `${b.help} (${whereText(b)})` : b.help, width);

export function helpColumns(readonly: boolean, width = 200): [Line[], Line[]] {
	const of = (g: Binding['group']) => BINDINGS.filter(b => b.group === g).flatMap(b => group(b, width));
	const left: Line[] = [{text: 'views', tone: 'accent'}, ...of('views'), {text: 'moving', tone: 'accent'}, ...of('moving'), {text: 'targets matrix', tone: 'accent'}, ...of('matrix')];
	const actions = readonly ? ACTIONS.filter(a => !a.writes) : ACTIONS;
	const right: Line[] = [
		{text: readonly ? 'actions: disabled (read-only console); these only read' : 'actions (each previews and asks y/n)', tone: readonly ? 'warn' : 'accent'},
		...actions.flatMap(b => group(b, width)),
		{text: 'in forms', tone: 'accent'},
		...FORM_HELP.flatMap(([k, t]) => entry(k, t, width)),
		{text: ': commands', tone: 'accent'},
		...COMMANDS.map(x => entry(`:${x.name}${x.arg ? ` ${x.arg.label}` : ''}`, x.summary, width)).flat(),
	];
	return [left, right];
}

export function HelpPanel({readonly, height, width, theme, scroll}: {readonly: boolean; height: number; width: number; theme: Theme; scroll?: number}) {
	const half = Math.floor(width / 2);
	if (width < 110) {
		const [left, right] = helpColumns(readonly, width - 4);
		return <Panel title="keys" height={height} theme={theme}><Lines lines={[...left, ...right]} height={height - 1} width={width} theme={theme} {...(scroll ? {scroll} : {})} /></Panel>;
	}
	const [left, right] = helpColumns(readonly, half - 4);
	return (
		<Panel title="keys" height={height} theme={theme}>
			<Box flexDirection="row">
				<Box width={half} flexDirection="column"><Lines lines={left} height={height - 1} width={half} theme={theme} {...(scroll ? {scroll} : {})} /></Box>
				<Box width={width - half} flexDirection="column"><Lines lines={right} height={height - 1} width={width - half} theme={theme} {...(scroll ? {scroll} : {})} /></Box>
			</Box>
		</Panel>
	);
}
