import { describe, expect, it } from 'vitest'
import { createKeyedMutex } from './keyed-mutex.js'

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('keyed mutex', () => {
  it('runs tasks of one key one after another, in arrival order', async () => {
    const mutex = createKeyedMutex()
    const log: string[] = []
    const task = (name: string) => async () => {
      log.push(`${name} start`)
      await tick()
      log.push(`${name} end`)
      return name
    }
    const results = await Promise.all([mutex.run('SBIN', task('a')), mutex.run('SBIN', task('b'))])
    expect(results).toEqual(['a', 'b'])
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end'])
    expect(mutex.activeKeys).toBe(0)
  })

  it('lets different keys run side by side', async () => {
    const mutex = createKeyedMutex()
    const log: string[] = []
    const task = (name: string) => async () => {
      log.push(`${name} start`)
      await tick()
      log.push(`${name} end`)
    }
    await Promise.all([mutex.run('SBIN', task('a')), mutex.run('INFY', task('b'))])
    expect(log.slice(0, 2)).toEqual(['a start', 'b start'])
  })

  it('keeps the queue going after a task fails', async () => {
    const mutex = createKeyedMutex()
    const failed = mutex.run('k', async () => {
      throw new Error('boom')
    })
    const next = mutex.run('k', async () => 'fine')
    await expect(failed).rejects.toThrow('boom')
    await expect(next).resolves.toBe('fine')
    expect(mutex.activeKeys).toBe(0)
  })
})
