import { type ButtonHTMLAttributes } from 'react'
import { useHooks } from '../hosted-look'

const variants = {
	primary: 'bg-primary text-primary-foreground hover:bg-primary-hover',
	secondary: 'border border-input-border bg-surface text-foreground hover:bg-background',
} as const

export function Button({ variant = 'primary', className = '', ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: keyof typeof variants }) {
	const hook = useHooks()
	return (
		<button
			{...hook('button', variant)}
			className={`inline-flex w-full items-center justify-center rounded-brand px-4 py-2.5 text-sm font-semibold transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring disabled:opacity-60 ${variants[variant]} ${className}`}
			{...props}
		/>
	)
}
