import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, useNavigation } from '@remix-run/react'
import { useId } from 'react'
import { describeValue, formValue, SETTING_FIELDS, SETTING_GROUPS, settingsFormSchema, type OrgSenderCheck, type SettingsFormFields } from '../modules/orgs/settings-form'
import { type OrgSettingKey, type OrgSettings, type SettingChanges } from '../modules/orgs/settings'
import { Button } from './ui/button'
import { ErrorList, FormError } from './ui/field'

/**
 * The sign-in settings form of /admin/settings and /operator/defaults. Each setting is one labelled
 * control whose first choice (or empty value) is "Use the default (…)", naming the value that
 * then applies; a plain POST without JavaScript sends every key, the server parses it with the
 * same schema (modules/orgs/settings-form.ts) and answers 400 with a message on the field.
 */
export function SettingsForm({
	id,
	overrides,
	inherited,
	defaultName,
	lastResult,
	disabled = false,
	sender,
	extraHints = {},
}: {
	id: string
	/** What is set here: the org's overrides, or the platform defaults. */
	overrides: Partial<Record<OrgSettingKey, unknown>>
	/** What each key takes when left on its default. */
	inherited: Partial<OrgSettings>
	/** "platform default" or "built-in default", as the page calls it. */
	defaultName: string
	lastResult?: SubmissionResult<string[]> | null
	/** For people who may read but not change the settings. */
	disabled?: boolean
	/** An org's form: which sender addresses it may use. */
	sender?: OrgSenderCheck
	/** Said after a setting's own hint, e.g. which sender addresses are allowed. */
	extraHints?: Partial<Record<OrgSettingKey, string>>
}) {
	const navigation = useNavigation()
	const schema = settingsFormSchema(inherited, sender)
	const [form, fields] = useForm<SettingsFormFields, SettingChanges>({
		id,
		lastResult: navigation.state === 'idle' ? lastResult : undefined,
		defaultValue: Object.fromEntries(Object.entries(overrides).map(([key, value]) => [key, formValue(key as OrgSettingKey, value)])),
		shouldValidate: 'onSubmit',
		shouldRevalidate: 'onInput',
		onValidate: ({ formData }) => parseWithZod(formData, { schema }),
	})
	return (
		<Form method="POST" className="flex flex-col gap-6" {...getFormProps(form)}>
			<FormError id={form.errorId} errors={form.errors} />
			<fieldset disabled={disabled} className="flex flex-col gap-6">
				{SETTING_GROUPS.map((group) => (
					<fieldset key={group.title} className="flex flex-col gap-4 rounded-brand border border-border bg-surface p-5">
						<legend className="px-1 text-base font-semibold">{group.title}</legend>
						{group.keys.map((key) => {
							const field = fields[key]
							return (
								<SettingControl
									key={key}
									settingKey={key}
									id={field.id}
									name={field.name}
									defaultValue={typeof field.initialValue === 'string' ? field.initialValue : ''}
									errors={field.errors}
									inheritedLabel={`Use the ${defaultName} (${describeValue(key, inherited[key])})`}
									extraHint={extraHints[key]}
								/>
							)
						})}
					</fieldset>
				))}
			</fieldset>
			{disabled ? (
				<p className="text-sm text-muted">You can see these settings but not change them.</p>
			) : (
				<Button type="submit" name="intent" value="save" className="sm:w-auto sm:self-start" disabled={navigation.state === 'submitting'}>
					Save settings
				</Button>
			)}
		</Form>
	)
}

const controlClass = 'rounded-brand border border-border bg-background px-3 py-2 text-foreground focus-visible:outline-2 focus-visible:outline-ring'

function SettingControl({
	settingKey,
	id,
	name,
	defaultValue,
	errors,
	inheritedLabel,
	extraHint,
}: {
	settingKey: OrgSettingKey
	id: string
	name: string
	defaultValue: string
	errors?: string[]
	inheritedLabel: string
	extraHint?: string
}) {
	const { label, hint, control } = SETTING_FIELDS[settingKey]
	const hintId = `${useId()}-hint`
	const errorId = errors?.length ? `${id}-error` : undefined
	const aria = { id, name, 'aria-invalid': errorId ? true : undefined, 'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') }
	return (
		<div className="flex flex-col gap-1" data-setting={settingKey}>
			<label htmlFor={id} className="text-sm font-medium text-foreground">
				{label}
			</label>
			{control.kind === 'boolean' || control.kind === 'choice' ? (
				<select className={controlClass} defaultValue={defaultValue} {...aria}>
					<option value="">{inheritedLabel}</option>
					{control.kind === 'boolean' ? (
						<>
							<option value="on">On</option>
							<option value="off">Off</option>
						</>
					) : (
						control.options.map((option) => (
							<option key={option.value} value={option.value}>
								{option.label}
							</option>
						))
					)}
				</select>
			) : (
				<input
					className={`${controlClass} placeholder:text-muted`}
					type={control.kind === 'number' ? 'number' : control.type}
					inputMode={control.kind === 'number' ? 'numeric' : undefined}
					min={control.kind === 'number' ? control.min : undefined}
					max={control.kind === 'number' ? control.max : undefined}
					maxLength={control.kind === 'text' ? control.maxLength : undefined}
					autoComplete="off"
					placeholder={inheritedLabel}
					defaultValue={defaultValue}
					{...aria}
				/>
			)}
			<p id={hintId} className="text-xs text-muted">
				{hint}
				{control.kind === 'number' || control.kind === 'text' ? ` Leave empty to ${inheritedLabel.charAt(0).toLowerCase()}${inheritedLabel.slice(1)}.` : null}
				{extraHint ? ` ${extraHint}` : null}
			</p>
			<ErrorList id={errorId} errors={errors} />
		</div>
	)
}
