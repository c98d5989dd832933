// The console's screen, k9s-style: a header (host, controller, counts, drift, age of the data, READONLY), the view (a
// windowed table or matrix, or a form / preview / help over it), a one-line flash and a footer of the keys that work
// here. The parts are in screen/; keys go to the controller.
import {Box, Text, useInput, useStdin, useStdout} from 'ink';
import {useEffect, useState, useSyncExternalStore} from 'react';
import type {ConsoleController} from './controller.js';
import {fit} from './format.js';
import {decode} from './keys.js';
import {markFrame} from './trace.js';
import {detailLines} from './screen/detail.js';
import {footerText} from './screen/footer.js';
import {FormPanel} from './screen/form.js';
import {Header, TitleBar} from './screen/header.js';
import {HelpPanel} from './screen/help.js';
import {Lines, Panel} from './screen/lines.js';
import {Matrix} from './screen/matrix.js';
import {welcomeLines} from './screen/welcome.js';
import {selectedIndex} from './state.js';
import {Table} from './table.js';
import type {Theme} from './theme.js';
import {filterTable} from './views/filter.js';
import {tableFor} from './views.js';

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

export type ConsoleProps = {readonly controller: ConsoleController; readonly theme: Theme; readonly size?: Size; readonly windowed?: boolean; readonly demoTag?: () => string | undefined};

export function Console({controller, theme, size: fixed, windowed = true, demoTag}: ConsoleProps) {
	const view = useSyncExternalStore(controller.subscribe, controller.getView);
	useEffect(() => void (view.data && markFrame()), [view.data]);
	const {columns: width, rows} = useSize(fixed);
	// one line spare: a frame as tall as the terminal makes Ink clear the screen on every render
	const height = Math.max(8, rows - 1);
	const m = view.state.mode;
	const top = controller.top;
	const detail = detailLines(top.view, view.data, width);
	const body = height - 4 - detail.length; // header, title, flash, footer
	const tableRows = Math.max(1, body - 1);
	controller.pageSize = tableRows;

	const table = view.data ? tableFor(top.view, view.data) : undefined;
	const f = table ? filterTable(table, top.filter, top.marked) : undefined;
	const selected = f ? selectedIndex(top, f.index, f.rows.length) : 0;
	const s = view.data?.snap;
	const empty = s && s.networks.length === 0 && s.apps.length === 0 && (top.view.id === 'apps' || top.view.id === 'nets' || top.view.id === 'targets') && !top.filter;
	let main: React.ReactNode;
	if (m.kind === 'help') main = <HelpPanel readonly={controller.readonly} height={body} width={width} theme={theme} {...(m.scroll ? {scroll: m.scroll} : {})} />;
	else if (m.kind === 'form') main = <FormPanel form={m.form} height={body} width={width} theme={theme} />;
	else if (m.kind === 'confirm') main = <Panel title={`${m.title}  (y/n)`} height={body} theme={theme} tone="warn"><Lines lines={m.lines} height={body - 1} width={width} theme={theme} {...(m.scroll ? {scroll: m.scroll} : {})} /></Panel>;
	else if (m.kind === 'info') {
		const lines = m.enter ? [...m.lines, {text: ''}, {text: `Enter: ${m.enter.label}   Esc: close`, tone: 'accent' as const}] : m.lines;
		main = <Panel title={m.title} height={body} theme={theme}><Lines lines={lines} height={body - 1} width={width} theme={theme} {...(m.scroll ? {scroll: m.scroll} : {})} /></Panel>;
	} else if (m.kind === 'busy') main = <Panel title={m.text} height={body} theme={theme} tone="warn"><Text dimColor>{'   applying: writing intent, then converging the kernel…'}</Text></Panel>;
	else if (!table || !f) main = <Panel title={view.loadError ? `cannot read the host: ${view.loadError}` : 'loading…'} height={body} theme={theme} tone={view.loadError ? 'bad' : 'accent'}>{null}</Panel>;
	else if (empty) main = <Panel title="nsdeck" height={body} theme={theme}><Lines lines={welcomeLines(s.host, controller.readonly)} height={body - 1} width={width} theme={theme} /></Panel>;
	else if (top.view.id === 'ifaces' && !view.data?.ifaces) main = <Panel title="reading every namespace…" height={body} theme={theme}>{null}</Panel>;
	else if (table.matrix) main = <Matrix key={top.view.id} shown={f} selected={selected} height={body} width={width} theme={theme} cursor={top.col ?? 0} />;
	else main = <Table key={`${top.view.id} ${top.view.arg ?? ''}`} columns={table.columns} widths={table.widths} rows={f.rows} selected={selected} height={tableRows} width={width} theme={theme} windowed={windowed} />;

	const flash = controller.flashShown() ?? (view.loadError ? {text: `refresh failed: ${view.loadError}`, tone: 'bad' as const} : undefined);
	const flashTone = flash?.tone === 'good' ? 'good' : flash?.tone === 'bad' ? 'bad' : undefined;
	const tag = demoTag?.();
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Keys controller={controller} />
			<Header view={view} controller={controller} theme={theme} width={width} {...(tag ? {demo: tag} : {})} />
			<TitleBar view={view} controller={controller} theme={theme} width={width} shown={f?.rows.length ?? 0} total={table?.rows.length ?? 0} />
			{detail.length > 0 ? <Lines lines={detail} height={detail.length} width={width} theme={theme} indent=" " /> : null}
			<Box height={body} flexDirection="column" overflowY="hidden">
				{main}
			</Box>
			<Text wrap="truncate" {...(theme.color(flashTone) ? {color: theme.color(flashTone)!} : {})} bold={flash?.tone === 'bad'}>
				{flash ? fit(` ${flash.tone === 'bad' ? '✗ ' : flash.tone === 'good' ? '✓ ' : ''}${flash.text}`, width, false) : ' '}
			</Text>
			<Text wrap="truncate" dimColor>
				{fit(` ${footerText(controller)}`, width, false)}
			</Text>
		</Box>
	);
}
