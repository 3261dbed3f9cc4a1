/**
 * The demo partner: three WABAs in different time zones and currencies, two or three numbers each, with the
 * traits that shape their traffic (volume, category mix, recipient countries, holidays).
 */
export const DEMO_PARTNER_ID = 'demo';
/** Fixed on purpose so the README and the demo portal can name it; only ever created by the demo seed. */
export const DEMO_API_KEY = 'ck_demo_convo_insights_2026';
export const DEMO_ORIGIN = 'http://localhost:8787';

/** Recipient country: calling code, ISO country, Meta market, local-number digits, weight. */
export interface Country {
  readonly code: string;
  readonly iso: string;
  readonly market: string;
  /** A later remap of the country's market: [local date it takes effect, market]. */
  readonly marketFrom?: readonly [string, string];
  readonly digits: number;
  readonly weight: number;
}

export interface DemoNumber {
  readonly id: string;
  readonly display: string;
  readonly label: string;
  /** Mean units per local day at the start of the range (before trend, seasonality, the PMP switch). */
  readonly perDay: number;
  /** Category weights: marketing, utility, authentication, service. */
  readonly mix: readonly [number, number, number, number];
}

export interface DemoWaba {
  readonly id: string;
  readonly name: string;
  readonly timezone: string;
  readonly currency: string;
  readonly pmpFrom: string;
  readonly numbers: readonly DemoNumber[];
  readonly countries: readonly Country[];
  /** Relative weight of Saturday..Sunday vs weekdays. */
  readonly weekend: readonly [number, number];
  /** Extra holiday peaks: [local 'YYYY-MM-DD' centre, half-width days, factor]. */
  readonly holidays: readonly (readonly [string, number, number])[];
  /** Rates carried by the records (used when no rate card of the currency prices a unit). */
  readonly rates?: Readonly<Record<string, string>>;
}

const blackFriday: (readonly [string, number, number])[] = [
  ['2023-11-24', 4, 2.2],
  ['2024-11-29', 4, 2.3],
  ['2025-11-28', 4, 2.4],
  ['2026-11-27', 4, 2.4],
];

export const DEMO_WABAS: readonly DemoWaba[] = [
  {
    id: 'demo-waba-us',
    name: 'Trailhead Outfitters US',
    timezone: 'America/Los_Angeles',
    currency: 'USD',
    pmpFrom: '2025-07-01',
    numbers: [
      {
        id: 'demo-pn-us-shop',
        display: '14155550101',
        label: 'US Shop',
        perDay: 38,
        mix: [0.55, 0.25, 0.02, 0.18],
      },
      // The support line: busy enough that its service replies outgrow the free allowance from 2026-10.
      {
        id: 'demo-pn-us-care',
        display: '14155550102',
        label: 'US Care',
        perDay: 70,
        mix: [0.04, 0.16, 0.04, 0.76],
      },
      { id: 'demo-pn-us-otp', display: '14155550103', label: 'US Login', perDay: 22, mix: [0, 0.1, 0.9, 0] },
    ],
    countries: [
      { code: '1', iso: 'US', market: 'North America', digits: 10, weight: 78 },
      { code: '1', iso: 'CA', market: 'North America', digits: 10, weight: 7 },
      { code: '52', iso: 'MX', market: 'Mexico', digits: 10, weight: 7 },
      { code: '55', iso: 'BR', market: 'Brazil', digits: 11, weight: 4 },
      { code: '44', iso: 'GB', market: 'United Kingdom', digits: 10, weight: 4 },
    ],
    weekend: [0.62, 0.55],
    holidays: [
      ...blackFriday,
      ['2023-12-18', 6, 1.5],
      ['2024-12-18', 6, 1.5],
      ['2025-12-18', 6, 1.5],
      ['2026-12-18', 6, 1.5],
      ['2024-07-04', 1, 1.4],
      ['2025-07-04', 1, 1.4],
      ['2026-07-04', 1, 1.4],
    ],
  },
  {
    id: 'demo-waba-de',
    name: 'Trailhead Outfitters DE',
    timezone: 'Europe/Berlin',
    currency: 'EUR',
    pmpFrom: '2025-07-01',
    numbers: [
      {
        id: 'demo-pn-de-shop',
        display: '4930555010',
        label: 'DE Shop',
        perDay: 26,
        mix: [0.45, 0.3, 0.03, 0.22],
      },
      {
        id: 'demo-pn-de-service',
        display: '4930555011',
        label: 'DE Service',
        perDay: 18,
        mix: [0.03, 0.22, 0.05, 0.7],
      },
    ],
    countries: [
      { code: '49', iso: 'DE', market: 'Germany', digits: 11, weight: 66 },
      { code: '43', iso: 'AT', market: 'Rest of Western Europe', digits: 10, weight: 11 },
      { code: '41', iso: 'CH', market: 'Rest of Western Europe', digits: 9, weight: 9 },
      { code: '31', iso: 'NL', market: 'Netherlands', digits: 9, weight: 6 },
      { code: '33', iso: 'FR', market: 'France', digits: 9, weight: 4 },
      { code: '39', iso: 'IT', market: 'Italy', digits: 10, weight: 4 },
    ],
    weekend: [0.7, 0.45],
    holidays: [
      ...blackFriday,
      ['2023-12-15', 8, 1.6],
      ['2024-12-15', 8, 1.6],
      ['2025-12-15', 8, 1.6],
      ['2026-12-15', 8, 1.6],
      ['2024-08-12', 12, 0.75],
      ['2025-08-12', 12, 0.75],
      ['2026-08-12', 12, 0.75],
    ],
    rates: {
      marketing: '0.1131',
      utility: '0.0456',
      authentication: '0.0636',
      service: '0.0669',
    },
  },
  {
    id: 'demo-waba-in',
    name: 'Trailhead Outfitters IN',
    timezone: 'Asia/Kolkata',
    currency: 'INR',
    pmpFrom: '2025-07-01',
    numbers: [
      {
        id: 'demo-pn-in-orders',
        display: '912240000101',
        label: 'IN Orders',
        perDay: 40,
        mix: [0.4, 0.4, 0.02, 0.18],
      },
      { id: 'demo-pn-in-otp', display: '912240000102', label: 'IN OTP', perDay: 34, mix: [0, 0.05, 0.95, 0] },
      {
        id: 'demo-pn-in-care',
        display: '912240000103',
        label: 'IN Care',
        perDay: 16,
        mix: [0.05, 0.15, 0.05, 0.75],
      },
    ],
    countries: [
      { code: '91', iso: 'IN', market: 'India', digits: 10, weight: 90 },
      { code: '971', iso: 'AE', market: 'United Arab Emirates', digits: 9, weight: 5 },
      { code: '966', iso: 'SA', market: 'Saudi Arabia', digits: 9, weight: 3 },
      {
        code: '65',
        iso: 'SG',
        market: 'Rest of Asia Pacific',
        marketFrom: ['2026-07-01', 'Singapore'],
        digits: 8,
        weight: 2,
      },
    ],
    weekend: [0.9, 0.7],
    // Diwali (and the festive season before it) is India's peak; Black Friday barely registers.
    holidays: [
      ['2023-11-12', 6, 2.3],
      ['2024-11-01', 6, 2.3],
      ['2025-10-20', 6, 2.4],
      ['2026-11-08', 6, 2.4],
      ['2024-08-15', 1, 1.3],
      ['2025-08-15', 1, 1.3],
    ],
    rates: {
      marketing: '0.7846',
      utility: '0.1150',
      authentication: '0.1150',
      service: '0.3381',
    },
  },
];
