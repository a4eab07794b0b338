import { requestLanguage } from './request-language';

describe('the language of a request', () => {
  it.each([
    [undefined, 'nl'],
    ['', 'nl'],
    ['en', 'en'],
    ['en-GB,en;q=0.9', 'en'],
    ['nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7', 'nl'],
    ['de, en;q=0.5', 'en'], // German is not offered; English is the one supported language named
    ['en;q=0.4, nl;q=0.8', 'nl'], // the higher weight wins, not the order
    ['nl, en', 'nl'], // a tie goes to the first
    ['en;q=0', 'nl'], // q=0 means "not this one"
    ['fr', 'nl'],
    [['en-US', 'nl;q=0.1'], 'en'],
  ])('should answer in %p with %s when the header says so', (header, expected) => {
    expect(requestLanguage(header as string | string[] | undefined)).toBe(expected);
  });
});
