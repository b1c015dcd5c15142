/**
 * Plain pages Express answers before any org is known. They name no org and no vendor:
 * an unknown host must not learn which orgs exist or what serves them.
 */
export function page(title: string, message: string) {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><meta name="robots" content="noindex"></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#1f2937"><h1 style="font-size:1.25rem">${title}</h1><p>${message}</p></body></html>`
}

export const unknownHostPage = page('No login here', 'There is no sign-in page at this address. Check the link you followed.')
export const foreignOriginPage = page('Request refused', 'This form was sent from another site, so it was not accepted. Go back to the page, reload it and try again.')
export const tooLargePage = page('Request too large', 'That was more data than this page accepts.')
