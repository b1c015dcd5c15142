import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

export default tseslint.config(
	{ ignores: ['build/', 'public/build/', 'app/generated/', '.cache/', '.data/', 'node_modules/', 'test-results/', 'playwright-report/'] },
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		plugins: { 'react-hooks': reactHooks },
		rules: {
			...reactHooks.configs.recommended.rules,
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
			'@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
			'no-control-regex': 'off',
		},
	},
	{
		// Modules hold domain code: no pages, no form handling. Guards may throw a redirect or a
		// response and cookie helpers may make cookies (Epic Stack's requireUser); nothing else of Remix.
		files: ['app/modules/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					paths: [{ name: '@remix-run/node', allowImportNames: ['createCookie', 'Cookie', 'redirect', 'data'], message: 'Modules take no Remix types or helpers beyond guards and cookies: form handling sits beside its route.' }],
					patterns: [
						{ group: ['@remix-run/react', '@remix-run/express', '@conform-to/*', 'react', 'react-dom'], message: 'Pages, components and form handling live under app/routes and app/components.' },
					],
				},
			],
			'no-restricted-syntax': ['error', { selector: 'JSXElement', message: 'No markup in modules: components live under app/components.' }],
		},
	},
	{
		files: ['**/*.js'],
		languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', URLSearchParams: 'readonly', Buffer: 'readonly', fetch: 'readonly' } },
	},
)
