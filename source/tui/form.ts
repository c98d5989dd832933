// Small forms: text fields validated as you type (with Tab completion) and choice fields cycled with ←/→/space.
import {isChar, named, type Key} from './keys.js';

export type TextField = {
	readonly kind: 'text';
	readonly name: string;
	readonly label: string;
	readonly value: string;
	readonly optional?: boolean;
	readonly hint?: string;
	/** candidates for Tab completion */
	readonly complete?: readonly string[];
	/** the value is a suggestion: the first character typed replaces it */
	readonly suggested?: boolean;
};
export type ChoiceField = {readonly kind: 'choice'; readonly name: string; readonly label: string; readonly options: readonly string[]; readonly value: string};
export type Field = TextField | ChoiceField;

export type Values = Readonly<Record<string, string>>;
/** Returns the error of one field given every value, or undefined when it is fine. */
export type Validator = (name: string, values: Values) => string | undefined;

export type Form<A = unknown> = {
	readonly title: string;
	readonly fields: readonly Field[];
	readonly focus: number;
	readonly validate: Validator;
	/** a line or two under the title: what the form acts on */
	readonly note?: string;
	readonly action: A;
};

export function valuesOf(form: Form): Values {
	return Object.fromEntries(form.fields.map(f => [f.name, f.value]));
}

/** Each field's error as of now; an empty optional field has none. */
export function errorsOf(form: Form): Array<string | undefined> {
	const values = valuesOf(form);
	return form.fields.map(f => (f.kind === 'text' && f.optional && f.value.trim() === '' ? undefined : form.validate(f.name, values)));
}

function commonPrefix(list: readonly string[]): string {
	if (list.length === 0) return '';
	let p = list[0]!;
	for (const s of list) while (!s.startsWith(p)) p = p.slice(0, -1);
	return p;
}

/** Completes a text to the longest prefix common to the candidates it starts; undefined when nothing to add. */
export function completeText(value: string, candidates: readonly string[]): string | undefined {
	if (value === '') return undefined;
	const matches = candidates.filter(c => c.startsWith(value) && c !== value);
	if (matches.length === 0 || candidates.includes(value)) return undefined;
	const p = commonPrefix(matches);
	return p.length > value.length ? p : undefined;
}

export type FormStep<A> = {form: Form<A>} | {submit: Form<A>} | {cancel: true} | {invalid: Form<A>; error: string};

function setField<A>(form: Form<A>, i: number, value: string): Form<A> {
	return {...form, fields: form.fields.map((f, j) => (j === i ? {...f, value, ...(f.kind === 'text' ? {suggested: false} : {})} : f))};
}

/** One key in a form. Enter submits when every field is valid, else focuses the first bad one. */
export function formKey<A>(form: Form<A>, key: Key): FormStep<A> {
	const field = form.fields[form.focus]!;
	const move = (d: number): Form<A> => ({...form, focus: (form.focus + d + form.fields.length) % form.fields.length});
	if (named(key, 'esc')) return {cancel: true};
	if (named(key, 'enter')) {
		const errors = errorsOf(form);
		const bad = errors.findIndex(e => e !== undefined);
		if (bad >= 0) return {invalid: {...form, focus: bad}, error: `${form.fields[bad]!.label}: ${errors[bad]}`};
		return {submit: form};
	}
	if (named(key, 'down') || named(key, 'tab')) {
		if (named(key, 'tab') && field.kind === 'text' && field.complete) {
			const done = completeText(field.value, field.complete);
			if (done !== undefined) return {form: setField(form, form.focus, done)};
		}
		return {form: move(1)};
	}
	if (named(key, 'up') || named(key, 'backtab')) return {form: move(-1)};
	if (field.kind === 'choice') {
		const i = Math.max(0, field.options.indexOf(field.value));
		const n = field.options.length;
		if (named(key, 'right') || (isChar(key) && key.ch === ' ')) return {form: setField(form, form.focus, field.options[(i + 1) % n]!)};
		if (named(key, 'left')) return {form: setField(form, form.focus, field.options[(i - 1 + n) % n]!)};
		if (isChar(key)) {
			// typing picks the next option starting with that letter
			const from = [...field.options.slice(i + 1), ...field.options.slice(0, i + 1)];
			const hit = from.find(o => o.toLowerCase().startsWith(key.ch.toLowerCase()));
			if (hit) return {form: setField(form, form.focus, hit)};
		}
		return {form};
	}
	if (named(key, 'backspace')) return {form: setField(form, form.focus, field.suggested ? '' : field.value.slice(0, -1))};
	if (isChar(key)) return {form: setField(form, form.focus, (field.suggested ? '' : field.value) + key.ch)};
	return {form};
}
