/**
 * Plausible Indian company names and NSE-style tickers for the long tail of listed equities
 * ("Shree Kaveri Polymers Ltd" → `KAVERIPOLY`). Everything is drawn from a seeded stream, so one
 * seed always lists the same companies.
 */
import { createStream } from './prng.js'

const FIRST = [
  'Aarti',
  'Abhinav',
  'Aditya',
  'Ajanta',
  'Akash',
  'Alembic',
  'Amar',
  'Ambika',
  'Amrit',
  'Anand',
  'Apex',
  'Arihant',
  'Arvind',
  'Ashiana',
  'Atlas',
  'Avanti',
  'Balaji',
  'Banas',
  'Bhagwati',
  'Bharat',
  'Bombay',
  'Cauvery',
  'Century',
  'Chaman',
  'Chennai',
  'Coastal',
  'Deccan',
  'Delta',
  'Dhampur',
  'Dhanlaxmi',
  'Dynamic',
  'Eastern',
  'Elgi',
  'Emerald',
  'Everest',
  'Excel',
  'Ganesh',
  'Ganga',
  'Garware',
  'Gayatri',
  'Globe',
  'Godavari',
  'Gokul',
  'Golden',
  'Gujarat',
  'Haryana',
  'Himalaya',
  'Hindustan',
  'Indo',
  'Indus',
  'Jagran',
  'Jai',
  'Jamuna',
  'Janata',
  'Jyoti',
  'Kailash',
  'Kalinga',
  'Kamdhenu',
  'Kanpur',
  'Karnataka',
  'Kaveri',
  'Kesar',
  'Kohinoor',
  'Konkan',
  'Krishna',
  'Lakshmi',
  'Lotus',
  'Madhav',
  'Madras',
  'Mahalaxmi',
  'Malwa',
  'Mangalam',
  'Meghna',
  'Mewar',
  'Modern',
  'Mysore',
  'Nagpur',
  'Narmada',
  'National',
  'Navin',
  'Neelkanth',
  'Nilkamal',
  'Nirmal',
  'Omkar',
  'Orient',
  'Oriental',
  'Padmavati',
  'Panchsheel',
  'Paras',
  'Parth',
  'Pioneer',
  'Prakash',
  'Premier',
  'Prime',
  'Punjab',
  'Radhika',
  'Rajasthan',
  'Rajshree',
  'Rama',
  'Ratnagiri',
  'Rishabh',
  'Royal',
  'Sagar',
  'Sahyadri',
  'Sakthi',
  'Sanghvi',
  'Saraswati',
  'Satyam',
  'Shakti',
  'Shiva',
  'Siddhi',
  'Simplex',
  'Sindhu',
  'Southern',
  'Standard',
  'Sterling',
  'Sudarshan',
  'Sumeru',
  'Sunrise',
  'Supreme',
  'Surya',
  'Swastik',
  'Tamilnad',
  'Trident',
  'Triveni',
  'Uttam',
  'Vardhman',
  'Vasundhara',
  'Venus',
  'Vijay',
  'Vikas',
  'Vindhya',
  'Vishal',
  'Western',
  'Yamuna',
  'Zenith',
  'Kiran',
  'Mahavir',
  'Nandan',
  'Pushpak',
  'Rathi',
  'Sanjivani',
  'Tirupati',
  'Udaipur',
  'Vaibhav',
  'Vasant',
  'Shubham',
  'Pragati',
  'Sambhav',
  'Utkal',
  'Bhilai',
  'Cochin',
  'Goa',
  'Kolhapur',
  'Nashik',
  'Salem',
  'Vizag',
] as const

/** Honorifics that often open an Indian company name; skipped when building the ticker. */
const HONORIFIC = ['Shree', 'Shri', 'Sri', 'Om', 'Jay'] as const

/** [sector word in the name, ticker suffix] */
const SECTOR: readonly (readonly [string, string])[] = [
  ['Industries', 'IND'],
  ['Pharmaceuticals', 'PHARM'],
  ['Textiles', 'TEX'],
  ['Steels', 'STEEL'],
  ['Polymers', 'POLY'],
  ['Chemicals', 'CHEM'],
  ['Finance', 'FIN'],
  ['Infrastructure', 'INFRA'],
  ['Cements', 'CEM'],
  ['Foods', 'FOOD'],
  ['Agro Products', 'AGRO'],
  ['Paper Mills', 'PAPER'],
  ['Sugars', 'SUGAR'],
  ['Motors', 'MOTOR'],
  ['Auto Components', 'AUTO'],
  ['Electricals', 'ELEC'],
  ['Cables', 'CABLE'],
  ['Tubes', 'TUBE'],
  ['Fertilisers', 'FERT'],
  ['Logistics', 'LOGI'],
  ['Realty', 'REAL'],
  ['Hotels', 'HOTEL'],
  ['Software', 'SOFT'],
  ['Technologies', 'TECH'],
  ['Capital', 'CAP'],
  ['Energy', 'ENER'],
  ['Power', 'POWER'],
  ['Pipes', 'PIPE'],
  ['Ceramics', 'CERA'],
  ['Glass', 'GLASS'],
  ['Plastics', 'PLAST'],
  ['Packaging', 'PACK'],
  ['Spinning Mills', 'SPIN'],
  ['Breweries', 'BREW'],
  ['Tea', 'TEA'],
  ['Jewellers', 'JEWEL'],
  ['Forgings', 'FORGE'],
  ['Castings', 'CAST'],
  ['Engineering', 'ENGG'],
  ['Projects', 'PROJ'],
  ['Exports', 'EXP'],
  ['Laboratories', 'LAB'],
  ['Healthcare', 'HEAL'],
  ['Minerals', 'MIN'],
  ['Granites', 'GRAN'],
  ['Securities', 'SEC'],
  ['Investments', 'INV'],
  ['Media', 'MEDIA'],
  ['Solar', 'SOLAR'],
  ['Batteries', 'BATT'],
  ['Tyres', 'TYRE'],
  ['Paints', 'PAINT'],
  ['Dyes', 'DYE'],
  ['Organics', 'ORG'],
  ['Biotech', 'BIO'],
  ['Seeds', 'SEED'],
  ['Dairy', 'DAIRY'],
  ['Shipping', 'SHIP'],
  ['Telecom', 'TELE'],
  ['Infotech', 'INFO'],
  ['Systems', 'SYS'],
  ['Fabrics', 'FAB'],
  ['Yarns', 'YARN'],
  ['Fibres', 'FIBRE'],
  ['Oils', 'OIL'],
  ['Ferro Alloys', 'FERRO'],
  ['Electronics', 'ELECT'],
  ['Appliances', 'APPL'],
  ['Housing', 'HSG'],
  ['Leasing', 'LEASE'],
  ['Marine', 'MARINE'],
  ['Aqua Farms', 'AQUA'],
  ['Spices', 'SPICE'],
]

/** One generated listed company. */
export interface GeneratedCompany {
  ticker: string
  name: string
}

/**
 * `count` companies with distinct tickers that avoid `taken` (which it extends), from a seed.
 * Tickers are upper case letters only, at most 10 characters, in NSE style.
 */
export function generateCompanies(
  seed: number,
  count: number,
  taken: Set<string>,
): GeneratedCompany[] {
  const rnd = createStream(seed)
  const names = new Set<string>()
  const out: GeneratedCompany[] = []
  for (let guard = 0; out.length < count && guard < count * 50; guard++) {
    const first = rnd.pick(FIRST)
    const [sectorWord, suffix] = rnd.pick(SECTOR)
    const honorific = rnd.next() < 0.18 ? `${rnd.pick(HONORIFIC)} ` : ''
    const second = rnd.next() < 0.25 ? ` ${rnd.pick(FIRST)}` : ''
    const name = `${honorific}${first}${second} ${sectorWord}`
    if (names.has(name)) continue
    const ticker = pickTicker(first, second.trim(), suffix, taken)
    if (ticker === undefined) continue
    names.add(name)
    taken.add(ticker)
    out.push({ ticker, name })
  }
  return out
}

function pickTicker(
  first: string,
  second: string,
  suffix: string,
  taken: Set<string>,
): string | undefined {
  const a = first.toUpperCase()
  const b = second.toUpperCase()
  const candidates = [
    clip(a, 10 - suffix.length) + suffix,
    b === '' ? a.slice(0, 10) : clip(a, 5) + clip(b, 5),
    clip(a, 4) + (b === '' ? '' : b.slice(0, 2)) + suffix.slice(0, 4),
    a.slice(0, 3) + suffix + (b === '' ? 'LTD' : b.slice(0, 3)),
  ]
  for (const c of candidates) {
    const t = c.slice(0, 10)
    if (t.length >= 3 && !taken.has(t)) return t
  }
  return undefined
}

function clip(s: string, n: number): string {
  return s.slice(0, Math.max(0, n))
}
