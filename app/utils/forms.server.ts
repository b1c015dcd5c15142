import { data } from '@remix-run/node'

/**
 * Reads a form body. A body that is not a form (JSON, a broken multipart boundary, ...) is the
 * client's mistake: 415/400 with a message, never a 500.
 */
export async function readFormData(request: Request): Promise<FormData> {
	const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase()
	if (type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data') {
		throw data('This form must be sent as a form (application/x-www-form-urlencoded or multipart/form-data).', { status: 415 })
	}
	try {
		return await request.formData()
	} catch {
		throw data('This form could not be read. Reload the page and try again.', { status: 400 })
	}
}
