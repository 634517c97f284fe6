import { describe, expect, it } from 'vitest'
import { KeyedQueue } from './keyed-queue.js'

describe('KeyedQueue', () => {
  it('runs one user’s tasks in order and other users’ tasks alongside', async () => {
    const q = new KeyedQueue()
    const log: string[] = []
    const task = (name: string, ms: number) => async () => {
      log.push(`${name}:start`)
      await new Promise((r) => setTimeout(r, ms))
      log.push(`${name}:end`)
      return name
    }
    const results = await Promise.all([
      q.run('alice', task('a1', 20)),
      q.run('alice', task('a2', 1)),
      q.run('bob', task('b1', 1)),
    ])
    expect(results).toEqual(['a1', 'a2', 'b1'])
    expect(log.indexOf('a1:end')).toBeLessThan(log.indexOf('a2:start'))
    expect(log.indexOf('b1:end')).toBeLessThan(log.indexOf('a1:end'))
  })

  it('keeps going after a failed task', async () => {
    const q = new KeyedQueue()
    await expect(q.run('u', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    await expect(q.run('u', () => Promise.resolve(1))).resolves.toBe(1)
    await q.idle()
  })
})
