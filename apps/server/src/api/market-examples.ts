/**
 * Real responses of the simulator broker (seed 1, 2025-04-17 10:00 IST), for the OpenAPI
 * document. Long lists are cut to their first items.
 */
interface Example {
  readonly request?: unknown
  readonly response: unknown
}

const apikey = '<your_app_apikey>'

export const MARKET_EXAMPLES = {
  symbol: {
    request: { apikey, symbol: 'NIFTY29APR2524000CE', exchange: 'NFO' },
    response: {
      status: 'success',
      data: {
        id: 5458,
        symbol: 'NIFTY29APR2524000CE',
        brsymbol: 'NIFTY:2025-04-29:24000:CE',
        name: 'NIFTY',
        exchange: 'NFO',
        brexchange: 'NSE_FO',
        token: '367318898',
        expiry: '29-APR-25',
        strike: 24000,
        lotsize: 75,
        instrumenttype: 'CE',
        tick_size: 0.05,
        freeze_qty: 1800,
      },
    },
  },
  search: {
    request: { apikey, query: 'RELIANCE', exchange: 'NSE' },
    response: {
      status: 'success',
      message: 'Found 1 matching symbols',
      data: [
        {
          symbol: 'RELIANCE',
          brsymbol: 'RELIANCE-EQ',
          name: 'RELIANCE INDUSTRIES',
          exchange: 'NSE',
          brexchange: 'NSE_EQ',
          token: '187289184',
          expiry: '',
          strike: 0,
          lotsize: 1,
          instrumenttype: 'EQ',
          tick_size: 0.05,
          freeze_qty: 1,
        },
      ],
    },
  },
  expiry: {
    request: { apikey, symbol: 'NIFTY', exchange: 'NFO', instrumenttype: 'futures' },
    response: {
      status: 'success',
      message: 'Found 3 expiry dates for NIFTY futures in NFO',
      data: ['29-APR-25', '27-MAY-25', '24-JUN-25'],
    },
  },
  instruments: {
    request: { apikey, exchange: 'NSE_INDEX', format: 'json' },
    response: {
      status: 'success',
      message: 'Found 30 instruments',
      data: [
        {
          symbol: 'NIFTY',
          brsymbol: 'NIFTY 50',
          name: 'NIFTY 50',
          exchange: 'NSE_INDEX',
          brexchange: 'NSE_IDX',
          token: '775287166',
          expiry: '',
          strike: 0,
          lotsize: 1,
          instrumenttype: 'INDEX',
          tick_size: 0.05,
        },
      ],
    },
  },
  optionsymbol: {
    request: {
      apikey,
      underlying: 'NIFTY',
      exchange: 'NSE_INDEX',
      expiry_date: '29APR25',
      offset: 'ITM2',
      option_type: 'CE',
    },
    response: {
      status: 'success',
      symbol: 'NIFTY29APR2526100CE',
      exchange: 'NFO',
      lotsize: 75,
      tick_size: 0.05,
      freeze_qty: 1800,
      underlying_ltp: 26216.85,
    },
  },
  quotes: {
    request: { apikey, symbol: 'RELIANCE', exchange: 'NSE' },
    response: {
      status: 'success',
      data: {
        open: 1374.65,
        high: 1390.1,
        low: 1373.65,
        ltp: 1389.9,
        ask: 1389.95,
        bid: 1389.9,
        prev_close: 1357.65,
        volume: 1533243,
        oi: 0,
      },
    },
  },
  multiquotes: {
    request: {
      apikey,
      symbols: [
        { symbol: 'RELIANCE', exchange: 'NSE' },
        { symbol: 'FOO', exchange: 'NSE' },
        { symbol: 'NIFTY', exchange: 'NSE_INDEX' },
      ],
    },
    response: {
      status: 'success',
      results: [
        {
          symbol: 'FOO',
          exchange: 'NSE',
          error:
            "Symbol 'FOO' not found for exchange 'NSE'. Please verify the symbol name and ensure master contracts are downloaded.",
        },
        {
          symbol: 'RELIANCE',
          exchange: 'NSE',
          data: {
            open: 1374.65,
            high: 1390.1,
            low: 1373.65,
            ltp: 1389.9,
            ask: 1389.95,
            bid: 1389.9,
            prev_close: 1357.65,
            volume: 1533243,
            oi: 0,
          },
        },
        {
          symbol: 'NIFTY',
          exchange: 'NSE_INDEX',
          data: {
            open: 26102.05,
            high: 26218.45,
            low: 26096,
            ltp: 26216.85,
            ask: 0,
            bid: 0,
            prev_close: 25985.55,
            volume: 10231424,
            oi: 0,
          },
        },
      ],
    },
  },
  depth: {
    request: { apikey, symbol: 'SBIN', exchange: 'NSE' },
    response: {
      status: 'success',
      data: {
        open: 922.9,
        high: 929,
        low: 919.95,
        ltp: 928.7,
        ltq: 16,
        prev_close: 916.2,
        volume: 185343,
        oi: 0,
        totalbuyqty: 3016,
        totalsellqty: 4412,
        asks: [
          { price: 928.8, quantity: 1507 },
          { price: 928.85, quantity: 155 },
          { price: 928.9, quantity: 1104 },
          { price: 928.95, quantity: 218 },
          { price: 929, quantity: 1428 },
        ],
        bids: [
          { price: 928.7, quantity: 121 },
          { price: 928.65, quantity: 174 },
          { price: 928.6, quantity: 1592 },
          { price: 928.55, quantity: 911 },
          { price: 928.5, quantity: 218 },
        ],
      },
    },
  },
  history: {
    request: {
      apikey,
      symbol: 'SBIN',
      exchange: 'NSE',
      interval: '5m',
      start_date: '2025-04-16',
      end_date: '2025-04-16',
    },
    response: {
      status: 'success',
      data: [
        {
          timestamp: 1744775100,
          open: 924.9,
          high: 926.5,
          low: 923.9,
          close: 923.9,
          volume: 53563,
          oi: 0,
        },
        {
          timestamp: 1744775400,
          open: 923.9,
          high: 924.55,
          low: 921.6,
          close: 923.7,
          volume: 39931,
          oi: 0,
        },
      ],
    },
  },
  intervals: {
    request: { apikey },
    response: {
      status: 'success',
      data: {
        seconds: [],
        minutes: ['1m', '2m', '3m', '5m', '10m', '15m', '20m', '30m'],
        hours: ['1h', '2h', '3h', '4h'],
        days: ['D'],
        weeks: ['W'],
        months: ['M'],
      },
    },
  },
  funds: {
    request: { apikey },
    response: {
      status: 'success',
      data: {
        availablecash: '10000000.00',
        collateral: '0.00',
        m2mrealized: '0.00',
        m2munrealized: '0.00',
        utiliseddebits: '0.00',
      },
    },
  },
  ticker: {
    request: {
      apikey,
      symbol: 'NSE:RELIANCE',
      interval: 'D',
      from: '2025-04-10',
      to: '2025-04-16',
    },
    response: {
      status: 'success',
      data: [
        {
          timestamp: 1744329600,
          open: 1289.85,
          high: 1293.1,
          low: 1260.2,
          close: 1267.55,
          volume: 6671197,
          oi: 0,
        },
        {
          timestamp: 1744675200,
          open: 1345.85,
          high: 1373.7,
          low: 1341.45,
          close: 1362.65,
          volume: 3415035,
          oi: 0,
        },
      ],
    },
  },
} satisfies Record<string, Example>
