import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, useNavigation } from '@remix-run/react'
import { type ReactNode } from 'react'
import { TEXT_LIMITS, type BrandingDocument } from '../modules/branding/document'
import { assetValue, studioFormSchema } from '../modules/branding/studio-form'
import { Button } from './ui/button'
import { CheckboxField, Field, FormError, SelectField, TextareaField } from './ui/field'

type Image = { value: string; type: string; size: number; uploadedAt: string }

const APPEARANCE_LABELS = { light: 'Light', dark: 'Dark', system: "Follow the visitor's system" } as const
const RADIUS_LABELS = { none: 'Square', small: 'Small', medium: 'Medium', large: 'Large', full: 'Round' } as const
const FONT_LABELS = { system: 'System (no download)', inter: 'Inter', 'atkinson-hyperlegible': 'Atkinson Hyperlegible', 'source-serif': 'Source Serif' } as const

function Group({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
	return (
		<fieldset className="flex flex-col gap-4 rounded-brand border border-border bg-surface p-5">
			<legend className="px-1 text-base font-semibold">{title}</legend>
			{hint ? <p className="-mt-2 text-sm text-muted">{hint}</p> : null}
			{children}
		</fieldset>
	)
}

/**
 * The studio's one form: every field of the branding document, named as the document names it
 * (modules/branding/studio-form.ts), so a plain POST without JavaScript carries the whole draft.
 * "Save draft" changes what admins see in the preview; "Publish" saves and makes it what every
 * visitor sees.
 */
export function BrandingStudioForm({
	document,
	images,
	themes,
	fonts,
	radii,
	lastResult,
	disabled,
}: {
	document: BrandingDocument
	images: Image[]
	themes: { id: string; name: string }[]
	fonts: readonly (keyof typeof FONT_LABELS)[]
	radii: readonly (keyof typeof RADIUS_LABELS)[]
	lastResult?: SubmissionResult<string[]> | null
	disabled: boolean
}) {
	const navigation = useNavigation()
	const [form] = useForm({
		id: 'branding',
		lastResult: navigation.state === 'idle' ? lastResult : undefined,
		shouldValidate: 'onSubmit',
		onValidate: ({ formData }) => parseWithZod(formData, { schema: studioFormSchema }),
	})
	const errors = (name: string) => form.allErrors[name]
	const imageOptions = [{ value: '', label: 'None' }, ...images.map((image) => ({ value: image.value, label: `${image.type.toUpperCase()} · ${Math.ceil(image.size / 1024)} KB · uploaded ${image.uploadedAt.slice(0, 10)} · ${image.value.slice(0, 8)}` }))]
	const colour = (mode: 'light' | 'dark', key: 'brand' | 'background' | 'accent', label: string, hint: string) => (
		<Field
			label={label}
			hint={hint}
			errors={errors(`colors.${mode}.${key}`)}
			inputProps={{ name: `colors.${mode}.${key}`, defaultValue: document.colors[mode][key] ?? '', placeholder: key === 'brand' ? '#4f46e5' : 'the theme’s own', spellCheck: false, autoComplete: 'off', maxLength: 7, required: key === 'brand' }}
		/>
	)
	return (
		<Form method="POST" className="flex flex-col gap-6" {...getFormProps(form)}>
			<FormError id={form.errorId} errors={form.errors} />
			<fieldset disabled={disabled} className="flex flex-col gap-6">
				<Group title="Name and images" hint="Images come from the uploads below; the logo's text alternative is the display name.">
					<Field label="Display name" hint="Shown above the sign-in card and in emails. Empty: the organization's name." errors={errors('displayName')} inputProps={{ name: 'displayName', defaultValue: document.displayName ?? '', maxLength: 60 }} />
					<SelectField label="Logo (light)" errors={errors('logo.light')} selectProps={{ name: 'logo.light', defaultValue: assetValue(document.logo.light) }} options={imageOptions} />
					<SelectField label="Logo (dark)" hint="Shown on dark pages; the light logo when empty." errors={errors('logo.dark')} selectProps={{ name: 'logo.dark', defaultValue: assetValue(document.logo.dark) }} options={imageOptions} />
					<SelectField label="Icon (favicon)" errors={errors('icon')} selectProps={{ name: 'icon', defaultValue: assetValue(document.icon) }} options={imageOptions} />
				</Group>
				<Group title="Colours" hint="Hex colours like #4f46e5. Foyer checks every pair against WCAG 2.2 AA and nudges what falls short (see the contrast report).">
					<div className="grid gap-4 sm:grid-cols-2">
						<div className="flex flex-col gap-4">
							<h3 className="text-sm font-semibold">Light</h3>
							{colour('light', 'brand', 'Brand colour (light)', 'Buttons; links and the focus ring too unless an accent is set.')}
							{colour('light', 'background', 'Background (light)', 'The page behind the card. Empty: the theme’s.')}
							{colour('light', 'accent', 'Accent (light)', 'Links and the focus ring. Empty: the brand colour.')}
						</div>
						<div className="flex flex-col gap-4">
							<h3 className="text-sm font-semibold">Dark</h3>
							{colour('dark', 'brand', 'Brand colour (dark)', 'Buttons on dark pages.')}
							{colour('dark', 'background', 'Background (dark)', 'Empty: the theme’s.')}
							{colour('dark', 'accent', 'Accent (dark)', 'Empty: the brand colour.')}
						</div>
					</div>
				</Group>
				<Group title="Look">
					<SelectField label="Theme" errors={errors('themeId')} selectProps={{ name: 'themeId', defaultValue: document.themeId }} options={themes.map((theme) => ({ value: theme.id, label: theme.name }))} />
					<SelectField label="Font" hint="Shipped with Foyer: nothing is loaded from another site." errors={errors('font')} selectProps={{ name: 'font', defaultValue: document.font }} options={fonts.map((font) => ({ value: font, label: FONT_LABELS[font] }))} />
					<SelectField label="Corners" errors={errors('radius')} selectProps={{ name: 'radius', defaultValue: document.radius }} options={radii.map((radius) => ({ value: radius, label: RADIUS_LABELS[radius] }))} />
					<SelectField
						label="Light or dark"
						errors={errors('appearance')}
						selectProps={{ name: 'appearance', defaultValue: document.appearance }}
						options={(['light', 'dark', 'system'] as const).map((value) => ({ value, label: APPEARANCE_LABELS[value] }))}
					/>
				</Group>
				<Group title="Texts and links" hint="Plain text. Empty fields keep Foyer's wording.">
					<Field label="Sign-in heading" hint={`At most ${TEXT_LIMITS.signInHeading} characters. Default: Sign in.`} errors={errors('texts.signInHeading')} inputProps={{ name: 'texts.signInHeading', defaultValue: document.texts.signInHeading ?? '', maxLength: TEXT_LIMITS.signInHeading }} />
					<TextareaField label="Sign-in text" hint={`Under the heading; at most ${TEXT_LIMITS.signInSubtext} characters.`} errors={errors('texts.signInSubtext')} textareaProps={{ name: 'texts.signInSubtext', defaultValue: document.texts.signInSubtext ?? '', maxLength: TEXT_LIMITS.signInSubtext, rows: 2 }} />
					<Field label="Sign-up heading" hint={`At most ${TEXT_LIMITS.signUpHeading} characters. Default: Create your account.`} errors={errors('texts.signUpHeading')} inputProps={{ name: 'texts.signUpHeading', defaultValue: document.texts.signUpHeading ?? '', maxLength: TEXT_LIMITS.signUpHeading }} />
					<TextareaField label="Footer text" hint={`Under the card; at most ${TEXT_LIMITS.footerText} characters.`} errors={errors('texts.footerText')} textareaProps={{ name: 'texts.footerText', defaultValue: document.texts.footerText ?? '', maxLength: TEXT_LIMITS.footerText, rows: 2 }} />
					<Field label="Terms of service link" hint="A full https:// address." errors={errors('links.terms')} inputProps={{ name: 'links.terms', type: 'url', defaultValue: document.links.terms ?? '', maxLength: 500 }} />
					<Field label="Privacy policy link" errors={errors('links.privacy')} inputProps={{ name: 'links.privacy', type: 'url', defaultValue: document.links.privacy ?? '', maxLength: 500 }} />
					<Field label="Support link" errors={errors('links.support')} inputProps={{ name: 'links.support', type: 'url', defaultValue: document.links.support ?? '', maxLength: 500 }} />
					<CheckboxField label="Show a “Secured by Foyer” line under the card" hint="Off by default: the pages name only your organization." errors={errors('securedBy')} inputProps={{ name: 'securedBy', defaultChecked: document.securedBy }} />
				</Group>
				<Group title="Custom CSS" hint="Applies inside the sign-in card only (its selectors are scoped to [data-foyer-card]); imports, outside URLs and anything that runs are removed. See the CSS hooks in the README.">
					<TextareaField label="Stylesheet" errors={errors('customCss')} textareaProps={{ name: 'customCss', defaultValue: document.customCss, rows: 8, maxLength: 20_000 }} />
				</Group>
			</fieldset>
			{disabled ? null : (
				<div className="flex flex-col gap-2 sm:flex-row">
					<Button type="submit" name="intent" value="save" variant="secondary">
						Save draft
					</Button>
					<Button type="submit" name="intent" value="publish">
						Publish
					</Button>
				</div>
			)}
		</Form>
	)
}
