import { describe, expect, it } from 'vitest'
import { startIdleGc, type IdleCollection, type IdleGcDeps } from './idle-gc.js'

const MB = 1024 * 1024

/** A process whose clock, loop business and heap the test drives; the timer is the test's. */
function fakeProcess(heapMb: number, usedMb = heapMb) {
  const state = {
    nowMs: 0,
    busy: 0,
    heap: heapMb * MB,
    used: usedMb * MB,
    young: 1 * MB,
    /** the young generation's size after each coming collection; 1 MB once the list runs out */
    youngAfter: [] as number[],
    collected: 0,
    timers: 0,
  }
  const deps: IdleGcDeps = {
    now: () => state.nowMs,
    // the share of the time since the previous call the loop was busy: read, it starts over
    busyShare: () => {
      const share = Math.min(1, state.busy)
      state.busy = 0
      return share
    },
    heapBytes: () => state.heap,
    heapUsedBytes: () => state.used,
    youngBytes: () => state.young,
    collect: () => {
      state.busy += 0.12 // the collection itself keeps the loop busy for a moment
      state.collected++
      state.heap = heapMb * MB + 2 * MB // the burst's garbage goes, a little live data stays
      state.used = state.heap
      state.young = (state.youngAfter.shift() ?? 1) * MB
    },
    setInterval: () => {
      state.timers++
      return {}
    },
    clearInterval: () => {
      state.timers--
    },
  }
  return { state, deps }
}

/** Advances one check of 1 s with the loop busy at `busy` and the heap at `heapMb`. */
function tick(
  gc: ReturnType<typeof startIdleGc>,
  p: ReturnType<typeof fakeProcess>,
  busy: number,
  heapMb?: number,
): void {
  p.state.nowMs += 1_000
  p.state.busy += busy
  if (heapMb !== undefined) p.state.heap = heapMb * MB
  gc.check()
}

describe('startIdleGc', () => {
  it('collects once the loop has been quiet for quietMs after a burst grew the heap', () => {
    const p = fakeProcess(100)
    const seen: IdleCollection[] = []
    const gc = startIdleGc({ quietMs: 6_000, onCollect: (c) => seen.push(c) }, p.deps)
    for (let i = 0; i < 10; i++) tick(gc, p, 0.95, 100 + 10 * i) // the burst: heap 100 → 190 MB
    expect(gc.collections()).toBe(0)
    for (let i = 0; i < 5; i++) tick(gc, p, 0.01)
    expect(gc.collections()).toBe(0) // 5 s quiet: not yet
    tick(gc, p, 0.01)
    expect(gc.collections()).toBe(1)
    expect(p.state.heap).toBe(102 * MB)
    expect(seen).toEqual([
      { durationMs: 0, heapBeforeBytes: 190 * MB, heapAfterBytes: 102 * MB, retry: false },
    ])
  })

  it('never collects during a burst, however long', () => {
    const p = fakeProcess(100)
    const gc = startIdleGc({ quietMs: 6_000 }, p.deps)
    for (let i = 0; i < 120; i++) tick(gc, p, 0.9, 100 + i)
    expect(gc.collections()).toBe(0)
  })

  it('restarts the quiet time when a short burst comes back', () => {
    const p = fakeProcess(100)
    const gc = startIdleGc({ quietMs: 6_000 }, p.deps)
    tick(gc, p, 0.9, 150)
    for (let i = 0; i < 5; i++) tick(gc, p, 0)
    tick(gc, p, 0.5) // a short burst 5 s into the quiet
    for (let i = 0; i < 5; i++) tick(gc, p, 0)
    expect(gc.collections()).toBe(0)
    tick(gc, p, 0)
    expect(gc.collections()).toBe(1)
  })

  it('does not collect again while idle, nor when the heap barely grew', () => {
    const p = fakeProcess(100)
    const gc = startIdleGc({ quietMs: 6_000, minGrowthBytes: 16 * MB }, p.deps)
    tick(gc, p, 0.9, 110) // grew 10 MB only
    for (let i = 0; i < 60; i++) tick(gc, p, 0)
    expect(gc.collections()).toBe(0)
    tick(gc, p, 0.9, 140)
    for (let i = 0; i < 60; i++) tick(gc, p, 0)
    expect(gc.collections()).toBe(1) // once, not once per idle check
  })

  it('counts from what objects took after the last collection, not from what the heap held', () => {
    const p = fakeProcess(100)
    const gc = startIdleGc({ quietMs: 6_000, minGrowthBytes: 16 * MB }, p.deps)
    tick(gc, p, 0.9, 150)
    for (let i = 0; i < 6; i++) tick(gc, p, 0)
    expect(gc.collections()).toBe(1) // heap 102 MB, all of it in use
    // V8 grew the heap on its own between bursts (the young generation), then a short burst
    p.state.heap = 118 * MB
    tick(gc, p, 0.9)
    for (let i = 0; i < 6; i++) tick(gc, p, 0)
    expect(gc.collections()).toBe(2)
  })

  it("collects startup's slack at the first quiet spell, though the load that followed grew nothing", () => {
    // startup left the heap holding 80 MB for 46 MB of objects; traffic right away kept it there
    const p = fakeProcess(80, 46)
    const gc = startIdleGc({ quietMs: 6_000, minGrowthBytes: 16 * MB }, p.deps)
    for (let i = 0; i < 20; i++) tick(gc, p, 0.9, 80)
    expect(gc.collections()).toBe(0)
    for (let i = 0; i < 6; i++) tick(gc, p, 0)
    expect(gc.collections()).toBe(1)
  })

  it('leaves a heap that holds little more than its objects alone', () => {
    const p = fakeProcess(50, 45)
    const gc = startIdleGc({ quietMs: 6_000, minGrowthBytes: 16 * MB }, p.deps)
    for (let i = 0; i < 30; i++) tick(gc, p, 0)
    expect(gc.collections()).toBe(0)
  })

  it('collects again at later quiet checks while the young generation stays grown', () => {
    const p = fakeProcess(100)
    const seen: IdleCollection[] = []
    const gc = startIdleGc({ quietMs: 6_000, onCollect: (c) => seen.push(c) }, p.deps)
    p.state.young = 32 * MB
    p.state.youngAfter = [32, 32, 1] // V8 shrinks it on the third try
    tick(gc, p, 0.9, 150)
    for (let i = 0; i < 6; i++) tick(gc, p, 0)
    expect(gc.collections()).toBe(1)
    tick(gc, p, 0) // the retry, a second later
    expect(gc.collections()).toBe(2)
    tick(gc, p, 0.5) // traffic: no retry while busy, and the quiet starts over
    for (let i = 0; i < 5; i++) tick(gc, p, 0)
    expect(gc.collections()).toBe(2)
    tick(gc, p, 0)
    expect(gc.collections()).toBe(3)
    expect(seen.map((c) => c.retry)).toEqual([false, true, true])
    for (let i = 0; i < 30; i++) tick(gc, p, 0)
    expect(gc.collections()).toBe(3) // shrunk: nothing more to do
  })

  it('gives up on the young generation after youngRetries tries', () => {
    const p = fakeProcess(100)
    const gc = startIdleGc({ quietMs: 6_000, youngRetries: 4 }, p.deps)
    p.state.young = 32 * MB
    p.state.youngAfter = Array.from({ length: 50 }, () => 32)
    tick(gc, p, 0.9, 150)
    for (let i = 0; i < 60; i++) tick(gc, p, 0)
    expect(gc.collections()).toBe(5)
  })

  it('runs on an unref’d timer and stops it', () => {
    const p = fakeProcess(100)
    let unrefd = false
    const gc = startIdleGc(
      {},
      {
        ...p.deps,
        setInterval: () => ({ unref: () => (unrefd = true) }),
      },
    )
    expect(unrefd).toBe(true)
    gc.stop()
    expect(p.state.timers).toBe(-1)
  })
})
