/**
 * The Authorization header for an API key: `Basic base64("api:" + key)`, as the SDK and Go core
 * send it. The key itself never reaches a log.
 */
export function basicAuthorization(apiKey: string): string {
  return `Basic ${Buffer.from(`api:${apiKey}`).toString('base64')}`
}

/**
 * The SDK's client-side key check (wandb/sdk/lib/wbauth/validation.py): a JWT is accepted as is;
 * otherwise an optional `prefix-` (on-prem keys like `local-…`) and a secret of at least 40
 * word characters. Returns an error sentence, or undefined when the key is acceptable.
 */
export function checkApiKey(key: string): string | undefined {
  if (key === '') return 'The API key is empty.'
  if (/^[\w-]+\.[\w-]+\.[\w-]+$/.test(key)) return undefined
  const dash = key.indexOf('-')
  const secret = dash >= 0 ? key.slice(dash + 1) : key
  if (!/^[\w-]+$/.test(secret)) return 'The API key contains characters an API key never has.'
  if (secret.length < 40) return `The API key should be at least 40 characters long, not ${secret.length}.`
  return undefined
}
