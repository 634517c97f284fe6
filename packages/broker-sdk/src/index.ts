/** Public door of this package; filled in by its issue. */
export const packageStatus = 'scaffold' as const
