import { useRouteLoaderData } from '@remix-run/react'
import { type HostedLook } from '../modules/branding/look.server'

/** The org's published look as the root loader hands it to every page (null when the root loader failed). */
export function useHostedLook(): HostedLook | null {
	const data = useRouteLoaderData('root') as { look?: HostedLook } | undefined
	return data?.look ?? null
}

/**
 * The stable hooks an org's custom CSS may select (documented in the README; they do not change
 * between releases). `page` carries the page's name (`login`, `signup`, ...), `button` its variant.
 */
export const HOOK_NAMES = [
	'page',
	'panel',
	'logo',
	'name',
	'card',
	'title',
	'subtext',
	'card-footer',
	'field',
	'button',
	'error',
	'notice',
	'footer',
	'link',
	'secured-by',
] as const
export type HookName = (typeof HOOK_NAMES)[number]

/**
 * `hook('card')` → `{ 'data-foyer-card': '' }` on pages of an org with custom CSS, `{}` on every
 * other page (look.server.ts, customCssHooks): the markup names the vendor only where an admin's
 * stylesheet needs the hooks.
 */
export function useHooks(): (name: HookName, value?: string) => Record<string, string> {
	const on = useHostedLook()?.hooks ?? false
	return (name, value = '') => (on ? { [`data-foyer-${name}`]: value } : {})
}
