"""Which passwords are too easy to guess: length, a built-in list of common ones and rules.

``password_problem(password, username)`` says what is wrong with a password (an English
sentence for the command line), or None when it is acceptable. The list is small on
purpose: the passwords and words people choose first (English and Swedish), with which
an attacker starts; the rules catch the rest of the easy ones (one character repeated,
a short pattern repeated, ascending or descending runs, a common word with digits or
signs around it, the user name inside the password).
"""

from __future__ import annotations

import unicodedata

MIN_PASSWORD = 10

# Whole passwords of at least MIN_PASSWORD characters found at the top of leaked-password
# lists (shorter ones are refused by the length rule already); compared case-insensitively.
COMMON_PASSWORDS = frozenset(
    """
    1234567890 0987654321 1234512345 1122334455 1111122222 1212121212 1231231234 1234554321
    1q2w3e4r5t 1q2w3e4r5t6y 1qaz2wsx3edc 1qazxsw23edc zaq12wsxcde3 zaq1zaq1zaq1 q1w2e3r4t5
    q1w2e3r4t5y6 123qweasdzxc qweasdzxc123 qwertyuiop asdfghjkl; asdfghjklö zxcvbnm,./
    qwerty123456 qwerty12345 qwerty1234 1234qwerty 123456qwerty qwertyqwerty qazwsxedcrfv
    password123 password1234 password12 password! passw0rd123 p@ssword123 password2024
    iloveyou123 iloveyou12 iloveyou1! welcome123 welcome2024 letmein123 letmein1234 admin12345
    administrator admin123456 abc1234567 abcd123456 abcde12345 abcdef1234 a1b2c3d4e5
    football123 baseball123 princess123 superman123 sunshine123 starwars123 monkey1234
    dragon1234 master1234 trustno1234 whatever123 computer123 internet123 changeme123
    michael123 jennifer123 1234567890a a1234567890 123456789a 0123456789 9876543210
    lösenord123 lösenord1234 lösenord12 lösenord2024 lösenord2025 lösenord2026 lösenordet
    losenord123 losenord1234 losenord2024 sommar2024 sommar2025 sommar2026 sommar2023
    sommaren2024 sommaren2025 vinter2024 vinter2025 hösten2024 hosten2024 våren2025 varen2025
    välkommen1 välkommen123 valkommen123 välkommen2024 hejhej1234 hejhejhej hejsan1234
    hejsan123! sverige123 sverige2024 stockholm1 stockholm123 göteborg123 malmö12345
    blekinge123 blekinge2024 karlskrona1 karlskrona123 ronneby1234 karlshamn1 karlshamn123
    sölvesborg olofström1 hemligt123 hemlighet1 fotboll123 hockey1234 kärlek1234 älskling1
    solsken123 midsommar1 midsommar24 julafton24 kalleanka1 regionen123 kommunen123
    """.split()
)

# Words and names people build passwords from; a password that is one of them with digits or
# signs before or after it ("Sommar2024!", "lösenord123", "p@ssw0rd1") is refused.
COMMON_WORDS = frozenset(
    """
    password passwort passord lösenord losenord kodord pinkod secret hemligt hemlig hemlighet
    qwerty qwertz azerty asdf asdfgh asdfghjkl zxcvbn qwertyuiop qazwsx abc abcd abcdef abcdefg
    letmein welcome välkommen valkommen hello hej hejhej hejsan hallå hejdå admin administrator
    administratör root user användare guest gäst test testing test123 demo login logga changeme
    default standard master iloveyou jagälskardig kärlek karlek älskling alskling love lovely
    sunshine solsken princess prinsessa prinsen superman batman spiderman starwars pokemon
    dragon monkey shadow football baseball soccer fotboll hockey ishockey innebandy golf
    computer dator internet google facebook instagram microsoft windows apple samsung
    summer winter spring autumn sommar sommaren vinter vintern vår våren var varen höst hösten
    host hosten januari februari mars april maj juni juli augusti september oktober november
    december måndag tisdag onsdag torsdag fredag lördag söndag monday friday sunday
    jul julafton midsommar påsk pask nyår semester ledighet helg fredagsmys
    sverige sweden svensk stockholm göteborg goteborg malmö malmo uppsala lund kalmar växjö
    blekinge karlskrona ronneby karlshamn sölvesborg solvesborg olofström olofstrom
    region regionen regionblekinge kommun kommunen landsting tillväxt tillvaxt strategi
    rus rusdashboard dashboard växtplats vaxtplats utveckling projekt anslag
    mamma pappa familjen familj barnen hunden katten hund katt häst blomma blommor
    kalle anka kalleanka pippi glass godis choklad kaffe fika öl ol vin bajs
    michael jennifer jessica daniel thomas andreas johan anders erik lars karl peter anna
    maria eva karin sara emma elin johanna whatever trustno freedom matrix killer pussy
    """.split()
)

# Runs of neighbouring characters; a password inside one of these (read forwards or
# backwards, round the end) is a "sequence".
_SEQUENCES = (
    "0123456789",
    "abcdefghijklmnopqrstuvwxyzåäö",
    "qwertyuiopå",
    "asdfghjklöä",
    "zxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "qazwsxedcrfvtgbyhnujmikolp",
    "1q2w3e4r5t6y7u8i9o0p",
)
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
_SIGNS = " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~§½"
_DIGITS = "0123456789"


def _fold(text: str) -> str:
    """Case- and accent-insensitive form (``Lösenord`` → ``losenord``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_COMMON_FOLDED = frozenset(_fold(p) for p in COMMON_PASSWORDS)
_WORDS_FOLDED = frozenset(_fold(w) for w in COMMON_WORDS)
_SEQ_FOLDED = tuple(_fold(s) for s in _SEQUENCES)


def _is_sequence(folded: str) -> bool:
    for seq in _SEQ_FOLDED:
        loop = seq * 3  # round the end: 7890123456
        if folded in loop or folded[::-1] in loop:
            return True
    return False


def _repeats_short_unit(text: str) -> bool:
    """``abababababab``, ``1231231231``, ``abcdabcdab``: a unit of at most 4 characters repeated."""
    return any(text == (text[:n] * (len(text) // n + 1))[: len(text)] for n in range(1, 5) if 2 * n <= len(text))


def password_problem(password: str, username: str | None = None) -> str | None:
    """Why ``password`` is refused (a sentence), or None when it may be used."""
    if len(password) < MIN_PASSWORD:
        return f"the password must have at least {MIN_PASSWORD} characters"
    folded = _fold(password)
    core = folded.strip(_SIGNS)  # "1234567890!" is still a sequence
    if len(set(core)) <= 1:
        return "the password is one character repeated; choose one that is hard to guess"
    if _repeats_short_unit(core):
        return "the password repeats a short pattern (like abababab or 123123123); choose one that is hard to guess"
    if _is_sequence(core):
        return (
            "the password is a simple sequence (like 1234567890, abcdefghij or qwertyuiop); "
            "choose one that is hard to guess"
        )
    if folded in _COMMON_FOLDED or core in _COMMON_FOLDED:
        return "the password is one of the most common passwords; choose one that is hard to guess"
    base = folded.strip(_SIGNS + _DIGITS)  # the word inside "Sommar2024!"
    if base and (base in _WORDS_FOLDED or base.translate(_LEET) in _WORDS_FOLDED):
        return (
            "the password is a common word with digits or signs around it "
            "(like sommar2024 or lösenord123); choose one that is hard to guess"
        )
    name = _fold(username or "").strip()
    if len(name) >= 3 and name in folded:
        return "the password contains the user name; choose one that is hard to guess"
    return None
