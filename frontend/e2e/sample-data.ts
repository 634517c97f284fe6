/**
 * Sample book data for rendering screenshots only: the browser's /ui/api reads are answered by
 * these (page.route) so the tables show realistic rows while the books' services have not
 * landed. Shapes come from @oa/web-contract and are validated with it here, so a drift fails.
 * Nothing on the server serves these.
 */
import {
  funds,
  holdings,
  orderBook,
  positionBook,
  successOf,
  tradeBook,
  type Funds,
  type Holdings,
  type OrderBook,
  type PositionBook,
  type TradeBook,
} from '@oa/web-contract'
import type { Page } from 'playwright-core'

const r = (rupees: string): number => {
  const [i = '0', f = ''] = rupees.split('.')
  return Number(i) * 10_000 + Number((f + '0000').slice(0, 4)) * Math.sign(Number(i) || 1)
}

const FUNDS: Funds = {
  availableCashE4: r('1234567.89'),
  collateralE4: r('250000'),
  m2mUnrealizedE4: r('4875.5'),
  m2mRealizedE4: -r('1320.25'),
  utilisedDebitsE4: r('187650.4'),
}
const T = '2026-03-02T'
const ORDERS: OrderBook = {
  orders: [
    {
      orderId: '26030200000123',
      symbol: 'RELIANCE',
      exchange: 'NSE',
      action: 'BUY',
      quantity: 10,
      filledQuantity: 0,
      priceE4: r('2875.5'),
      triggerPriceE4: 0,
      averagePriceE4: 0,
      priceType: 'LIMIT',
      product: 'MIS',
      status: 'open',
      rejectionReason: '',
      time: `${T}10:42:07+05:30`,
    },
    {
      orderId: '26030200000119',
      symbol: 'SBIN',
      exchange: 'NSE',
      action: 'BUY',
      quantity: 150,
      filledQuantity: 150,
      priceE4: 0,
      triggerPriceE4: 0,
      averagePriceE4: r('812.35'),
      priceType: 'MARKET',
      product: 'MIS',
      status: 'complete',
      rejectionReason: '',
      time: `${T}10:15:31+05:30`,
    },
    {
      orderId: '26030200000117',
      symbol: 'INFY',
      exchange: 'NSE',
      action: 'SELL',
      quantity: 40,
      filledQuantity: 0,
      priceE4: r('1690'),
      triggerPriceE4: r('1685'),
      averagePriceE4: 0,
      priceType: 'SL',
      product: 'CNC',
      status: 'rejected',
      rejectionReason: 'Insufficient holdings',
      time: `${T}09:58:12+05:30`,
    },
    {
      orderId: '26030200000112',
      symbol: 'NIFTY26MAR22500CE',
      exchange: 'NFO',
      action: 'SELL',
      quantity: 75,
      filledQuantity: 75,
      priceE4: 0,
      triggerPriceE4: 0,
      averagePriceE4: r('142.8'),
      priceType: 'MARKET',
      product: 'NRML',
      status: 'complete',
      rejectionReason: '',
      time: `${T}09:31:44+05:30`,
    },
    {
      orderId: '26030200000108',
      symbol: 'TATAMOTORS',
      exchange: 'NSE',
      action: 'BUY',
      quantity: 25,
      filledQuantity: 0,
      priceE4: r('698'),
      triggerPriceE4: 0,
      averagePriceE4: 0,
      priceType: 'LIMIT',
      product: 'MIS',
      status: 'cancelled',
      rejectionReason: '',
      time: `${T}09:20:03+05:30`,
    },
  ],
  statistics: { buyOrders: 3, sellOrders: 2, completed: 2, open: 1, rejected: 1 },
}
const TRADES: TradeBook = {
  trades: [
    {
      orderId: '26030200000119',
      symbol: 'SBIN',
      exchange: 'NSE',
      product: 'MIS',
      action: 'BUY',
      quantity: 150,
      averagePriceE4: r('812.35'),
      tradeValueE4: r('121852.5'),
      time: `${T}10:15:31+05:30`,
    },
    {
      orderId: '26030200000112',
      symbol: 'NIFTY26MAR22500CE',
      exchange: 'NFO',
      product: 'NRML',
      action: 'SELL',
      quantity: 75,
      averagePriceE4: r('142.8'),
      tradeValueE4: r('10710'),
      time: `${T}09:31:44+05:30`,
    },
  ],
}
const POSITIONS: PositionBook = {
  positions: [
    {
      symbol: 'SBIN',
      exchange: 'NSE',
      product: 'MIS',
      quantity: 150,
      averagePriceE4: r('812.35'),
      ltpE4: r('845.1'),
      pnlE4: r('4912.5'),
      realizedPnlE4: 0,
    },
    {
      symbol: 'NIFTY26MAR22500CE',
      exchange: 'NFO',
      product: 'NRML',
      quantity: -75,
      averagePriceE4: r('142.8'),
      ltpE4: r('143.3'),
      pnlE4: -r('37.5'),
      realizedPnlE4: 0,
    },
    {
      symbol: 'HDFCBANK',
      exchange: 'NSE',
      product: 'MIS',
      quantity: 0,
      averagePriceE4: r('1640'),
      ltpE4: r('1626.8'),
      pnlE4: -r('1320.25'),
      realizedPnlE4: -r('1320.25'),
    },
  ],
}
const HOLDINGS: Holdings = {
  holdings: [
    {
      symbol: 'TCS',
      exchange: 'NSE',
      product: 'CNC',
      quantity: 20,
      averagePriceE4: r('3520'),
      ltpE4: r('3895.45'),
      pnlE4: r('7509'),
      pnlBps: 1067,
    },
    {
      symbol: 'ITC',
      exchange: 'NSE',
      product: 'CNC',
      quantity: 500,
      averagePriceE4: r('452.1'),
      ltpE4: r('431.65'),
      pnlE4: -r('10225'),
      pnlBps: -452,
    },
    {
      symbol: 'BAJFINANCE',
      exchange: 'NSE',
      product: 'CNC',
      quantity: 12,
      averagePriceE4: r('6810'),
      ltpE4: r('7244.9'),
      pnlE4: r('5218.8'),
      pnlBps: 638,
    },
  ],
  statistics: { totalHoldingValueE4: 0, totalInvestmentValueE4: 0, totalPnlE4: 0, totalPnlBps: 0 },
}

const FIXTURES: Record<string, unknown> = {
  '/ui/api/funds': successOf(funds).parse({ status: 'success', data: FUNDS }),
  '/ui/api/orderbook': successOf(orderBook).parse({ status: 'success', data: ORDERS }),
  '/ui/api/tradebook': successOf(tradeBook).parse({ status: 'success', data: TRADES }),
  '/ui/api/positions': successOf(positionBook).parse({ status: 'success', data: POSITIONS }),
  '/ui/api/holdings': successOf(holdings).parse({ status: 'success', data: HOLDINGS }),
}

/** Answers the book reads of `page` with the sample data. */
export async function useSampleBooks(page: Page): Promise<void> {
  for (const [path, body] of Object.entries(FIXTURES)) {
    await page.route(`**${path}`, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) }),
    )
  }
}
