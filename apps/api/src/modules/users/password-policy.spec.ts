import { randomBytes } from 'node:crypto';
import { formatViolation } from '@copd/domain';
import { newSecret } from '../../core/auth/secrets';
import { checkPassword, contextWords, PASSWORD_CODES, PasswordContext } from './password-policy';

const JAN = { username: 'j.jansen', displayName: 'Jan Jansen', organisations: ['Fysio De Brug', '12345678'] };
const codes = (password: string, context: PasswordContext = JAN) => checkPassword(password, context).map((v) => v.code);

describe('password policy', () => {
  it.each([
    // issue 10 L3: the three passwords length alone let through
    ['aaaaaaaaaaaa', [PASSWORD_CODES.WEAK]],
    ['password1234', [PASSWORD_CODES.WEAK]],
    ['            ', [PASSWORD_CODES.BLANK]],
    // product words, too short, and short plus weak reported at once
    ['Wachtwoord2025!', [PASSWORD_CODES.WEAK]],
    ['qwertyuiop12', [PASSWORD_CODES.WEAK]],
    ['welkom01', [PASSWORD_CODES.TOO_SHORT, PASSWORD_CODES.WEAK]],
    ['   ', [PASSWORD_CODES.TOO_SHORT, PASSWORD_CODES.BLANK]],
  ])('should refuse %j with %j when it is short, blank or common', (password, expected) => {
    expect(codes(password)).toEqual(expected);
  });

  it('should refuse a password when it is longer than 200 characters', () => {
    expect(codes('x'.repeat(201))).toEqual([PASSWORD_CODES.TOO_LONG]);
  });

  it.each(['j.jansen2025', 'jjansen12345', 'JanJansen1234', 'fysiodebrug12', 'jansen12345678'])(
    'should refuse %j as easy to guess when it is made of the username, name or organisation',
    (password) => {
      const [violation] = checkPassword(password, JAN);
      expect(violation.code).toBe(PASSWORD_CODES.WEAK);
      expect(violation.path).toBe('password');
    },
  );

  it('should say the password holds the account\'s own words when it is the username plus a year', () => {
    expect(checkPassword('j.jansen2025', JAN)[0].message).toContain(
      'Het bevat uw gebruikersnaam, naam, organisatie of een woord van deze toepassing.',
    );
  });

  it('should accept the same word when it is not the account\'s own', () => {
    // "jjansen12345" is refused for j.jansen (above) but fine for someone else: context makes the difference.
    expect(codes('jjansen12345', { username: 'p.pieters' })).toEqual([]);
  });

  it.each(['paars olifant fietst snel', 'een lang genoeg wachtwoord', 'e2e-wachtwoord-123', 'correct horse battery staple'])(
    'should accept %j when it is a passphrase of uncommon words',
    (password) => {
      expect(checkPassword(password, JAN)).toEqual([]);
    },
  );

  it('should tell the user what to do in Dutch when a password is refused', () => {
    const [violation] = checkPassword('password1234', JAN);
    expect(violation.message).toBe(
      'Dit wachtwoord is te makkelijk te raden. Dit lijkt op een veel gebruikt wachtwoord. Voeg meer, minder gewone woorden toe. ' +
        'Kies bijvoorbeeld vier of meer willekeurige woorden die niet bij u, uw organisatie of deze toepassing horen.',
    );
    expect(violation.params).toEqual({
      score: 1,
      minScore: 3,
      adviceNl: 'Dit lijkt op een veel gebruikt wachtwoord. Voeg meer, minder gewone woorden toe.',
      adviceEn: 'This is similar to a commonly used password. Add more words that are less common.',
    });
  });

  it('should word the refusal in English by its code when the interface is English', () => {
    const [violation] = checkPassword('password1234', JAN);
    expect(formatViolation(violation, 'en')).toMatch(/^This password is too easy to guess\. .*commonly used password.* Choose for example four or more random words/);
  });

  it('should accept every generated password when it comes from the demo or the CLI', () => {
    // tools/demo.ts: randomBytes(12) as base64url (16 characters); CLI and ensureDemoUsers: newSecret() cut to 20.
    for (let i = 0; i < 25; i++) {
      expect(checkPassword(randomBytes(12).toString('base64url'), { username: 'praktijk-bundel' })).toEqual([]);
      expect(checkPassword(newSecret().slice(0, 20), { username: 'admin' })).toEqual([]);
    }
  });

  it('should split the account\'s values into guessable words when building the context', () => {
    expect(contextWords({ username: 'j.jansen', displayName: 'Jan de Vries', organisations: ['3311'] })).toEqual(
      expect.arrayContaining(['j.jansen', 'jjansen', 'jansen', 'jan de vries', 'jandevries', 'vries', '3311', 'copd', 'nza']),
    );
    // parts shorter than 3 characters ("j", "de") would match almost anything
    expect(contextWords({ username: 'j.jansen', displayName: 'Jan de Vries' })).not.toEqual(expect.arrayContaining(['j']));
    expect(contextWords({ username: 'j.jansen', displayName: 'Jan de Vries' })).not.toEqual(expect.arrayContaining(['de']));
  });
});
