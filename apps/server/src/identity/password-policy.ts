/**
 * The original's password policy (spec platform.md §6.2), messages word for word: at least 8
 * characters, one of each of A-Z, a-z, 0-9 and `!@#$%^&*` (other punctuation does not count).
 *
 * @returns null when acceptable, else the message to show
 */
export function passwordProblem(password: string): string | null {
  if (password.length < 8) return 'Password must be at least 8 characters long'
  if (!/[A-Z]/.test(password)) return 'Password must contain at least 1 uppercase letter (A-Z)'
  if (!/[a-z]/.test(password)) return 'Password must contain at least 1 lowercase letter (a-z)'
  if (!/[0-9]/.test(password)) return 'Password must contain at least 1 number (0-9)'
  if (!/[!@#$%^&*]/.test(password))
    return 'Password must contain at least 1 special character (!@#$%^&*)'
  return null
}
