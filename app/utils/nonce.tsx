import { createContext, useContext } from 'react'

/** The per-request CSP nonce, for the few inline tags React renders (Remix scripts, theme style). */
export const NonceContext = createContext<string>('')
export const NonceProvider = NonceContext.Provider
export const useNonce = () => useContext(NonceContext)
