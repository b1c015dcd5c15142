import { type CustomCssCompiler } from './versions.server'

/**
 * What publishing and the preview make of an admin's custom CSS. Until the sanitizer lands this
 * refuses any custom CSS outright, so nothing unsanitized can ever be published or previewed.
 */
export const compileCustomCss: CustomCssCompiler = (source) =>
	source.trim() ? { css: '', errors: [{ message: 'Custom CSS cannot be published yet.' }] } : { css: '', errors: [] }
