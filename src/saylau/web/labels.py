"""The pages' words in Kazakh, Russian and English: the protocol's lines, the checks, the buttons.

Terms follow shared/spec/glossary.md; as with the report catalogues, a native speaker should review the
Kazakh and Russian before an election uses them. A missing word falls back to English.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from saylau.reports.checks import clerk
from saylau.reports.i18n import translator
from saylau.reports.i18n import words as catalogue_words
from saylau.tabulation.checks import Code

LANGUAGES = ("en", "kk", "ru")
CHECK_CODE = re.compile(r"^[A-Z]{1,2}[0-9]{3}$")
"""A check's code (P001, W004): shown beside its words; the API's other codes (`login-failed`) are for programs."""

_WORDS: Mapping[str, Mapping[str, str]] = {
    "registered": {"kk": "Тізімге енгізілген сайлаушылар саны", "ru": "Число избирателей, включённых в списки"},
    "received": {"kk": "Алынған бюллетеньдер саны", "ru": "Число полученных бюллетеней"},
    "issued": {"kk": "Берілген бюллетеньдер саны", "ru": "Число выданных бюллетеней"},
    "issued_absentee": {
        "kk": "оның ішінде сырттай дауыс беру куәлігі бойынша",
        "ru": "в том числе по открепительным удостоверениям",
    },
    "issued_outside": {"kk": "оның ішінде үй-жайдан тыс", "ru": "в том числе вне помещения для голосования"},
    "cancelled": {"kk": "Жойылған бюллетеньдер", "ru": "Погашенные бюллетени"},
    "found": {"kk": "Жәшіктерден табылған бюллетеньдер", "ru": "Бюллетени, обнаруженные в ящиках"},
    "invalid": {"kk": "Жарамсыз бюллетеньдер", "ru": "Недействительные бюллетени"},
    "against_all": {"kk": "Барлығына қарсы", "ru": "Против всех"},
    "list": {"kk": "Партиялық тізім бюллетені", "ru": "Бюллетень по партийным спискам"},
    "district": {"kk": "Бір мандатты округ бюллетені", "ru": "Бюллетень по одномандатному округу"},
    "Station": {"kk": "Сайлау учаскесі", "ru": "Избирательный участок"},
    "District": {"kk": "Округ", "ru": "Округ"},
    "Ballot": {"kk": "Бюллетень", "ru": "Бюллетень"},
    "State": {"kk": "Күйі", "ru": "Состояние"},
    "Protocols": {"kk": "Хаттамалар", "ru": "Протоколы"},
    "Log in": {"kk": "Кіру", "ru": "Войти"},
    "Log out": {"kk": "Шығу", "ru": "Выйти"},
    "Name": {"kk": "Аты", "ru": "Имя"},
    "Password": {"kk": "Құпиясөз", "ru": "Пароль"},
    "Finalise": {"kk": "Аяқтау", "ru": "Завершить ввод"},
    "Enter": {"kk": "Енгізу", "ru": "Ввести"},
    "Open": {"kk": "Ашу", "ru": "Открыть"},
    "Line": {"kk": "Жол", "ru": "Строка"},
    "Entry 1": {"kk": "1-енгізу", "ru": "Ввод 1"},
    "Entry 2": {"kk": "2-енгізу", "ru": "Ввод 2"},
    "keep-first": {"kk": "1-енгізуді қалдыру", "ru": "Оставить ввод 1"},
    "keep-second": {"kk": "2-енгізуді қалдыру", "ru": "Оставить ввод 2"},
    "discard-first": {"kk": "1-енгізуді жою", "ru": "Отбросить ввод 1"},
    "discard-second": {"kk": "2-енгізуді жою", "ru": "Отбросить ввод 2"},
    "discard-both": {"kk": "Екеуін де жою", "ru": "Отбросить оба"},
    "accept-warnings": {"kk": "Ескертулерді қабылдау", "ru": "Принять предупреждения"},
    "reopen": {"kk": "Қайта ашу", "ru": "Открыть заново"},
    "Reason": {"kk": "Себебі", "ru": "Причина"},
    "Certify": {"kk": "Қорытындыны бекіту", "ru": "Утвердить итоги"},
    "Users": {"kk": "Пайдаланушылар", "ru": "Пользователи"},
    "Add user": {"kk": "Пайдаланушы қосу", "ru": "Добавить пользователя"},
    "Role": {"kk": "Рөлі", "ru": "Роль"},
    "Districts": {"kk": "Округтер", "ru": "Округа"},
    "Disable": {"kk": "Өшіру", "ru": "Отключить"},
    "Active": {"kk": "Белсенді", "ru": "Активен"},
    "Votes": {"kk": "Дауыстар", "ru": "Голоса"},
    "Drawings of lots": {"kk": "Жеребе тастау", "ru": "Жеребьёвка"},
    "Drawing of lots required": {"kk": "Жеребе тастау қажет", "ru": "Требуется жеребьёвка"},
    "No tie waits for a drawing of lots.": {
        "kk": "Жеребе тастауды күтетін тең дауыс жоқ.",
        "ru": "Нет равенства голосов, ожидающего жеребьёвки.",
    },
    "List seats": {"kk": "Партиялық тізімдер бойынша орындар", "ru": "Места по партийным спискам"},
    "Tied": {"kk": "Дауыстары тең", "ru": "Равенство голосов"},
    "Seats at stake": {"kk": "Талас орындар", "ru": "Спорные места"},
    "Winners of the lot": {"kk": "Жеребе жеңімпаздары", "ru": "Победители жеребьёвки"},
    "Drawn on": {"kk": "Жеребе күні", "ru": "Дата жеребьёвки"},
    "Note": {"kk": "Ескертпе", "ru": "Примечание"},
    "Record the outcome": {"kk": "Нәтижесін тіркеу", "ru": "Записать итог"},
    "Recorded drawings of lots": {"kk": "Тіркелген жеребе нәтижелері", "ru": "Записанные итоги жеребьёвки"},
    "Recorded by": {"kk": "Тіркеген", "ru": "Записал"},
    "No longer fits the count": {"kk": "Санаққа енді сәйкес келмейді", "ru": "Больше не соответствует подсчёту"},
    "Withdraw": {"kk": "Кері қайтару", "ru": "Отозвать"},
    "Results from below": {"kk": "Төменгі комиссиялардың нәтижелері", "ru": "Итоги нижестоящих комиссий"},
    "Results bundle": {"kk": "Нәтижелер топтамасы (JSON)", "ru": "Пакет результатов (JSON)"},
    "Import": {"kk": "Жүктеу", "ru": "Загрузить"},
    "Commission": {"kk": "Комиссия", "ru": "Комиссия"},
    "Contest": {"kk": "Сайлау", "ru": "Выборы"},
    "Summary protocols": {"kk": "Жиынтық хаттамалар", "ru": "Сводные протоколы"},
    "Paper summary protocol": {"kk": "Қағаз жиынтық хаттама", "ru": "Бумажный сводный протокол"},
    "Type the figures of the paper summary protocol the commission below signed.": {
        "kk": "Төменгі комиссия қол қойған қағаз жиынтық хаттаманың сандарын енгізіңіз.",
        "ru": "Введите цифры бумажного сводного протокола, подписанного нижестоящей комиссией.",
    },
    "Imported": {"kk": "Жүктелген", "ru": "Загружено"},
    "Typed": {"kk": "Қолмен енгізілген", "ru": "Введено вручную"},
    "Keep the imported figures": {"kk": "Жүктелген сандарды қалдыру", "ru": "Оставить загруженные цифры"},
    "Send the typed protocol back": {
        "kk": "Енгізілген хаттаманы қайта енгізуге жіберу",
        "ru": "Вернуть введённый протокол на повторный ввод",
    },
    "Nothing waits to be typed here.": {"kk": "Мұнда енгізуді күтетін ештеңе жоқ.", "ru": "Здесь нечего вводить."},
    "No bundle imported yet.": {
        "kk": "Әзірге бірде-бір топтама жүктелмеген.",
        "ru": "Пока не загружено ни одного пакета.",
    },
    "remainder": {"kk": "Тең қалдық", "ru": "Равные остатки"},
    "average": {"kk": "Тең бөлінді", "ru": "Равные частные"},
    "excess": {"kk": "Артық орын үшін тең қалдық", "ru": "Равные остатки при изъятии лишнего места"},
    "Expected": {"kk": "Күтілетін", "ru": "Ожидается"},
    "Checks": {"kk": "Тексерулер", "ru": "Проверки"},
    "Progress": {"kk": "Барысы", "ru": "Ход подсчёта"},
    "Differences": {"kk": "Айырмашылықтар", "ru": "Расхождения"},
    "Warnings": {"kk": "Ескертулер", "ru": "Предупреждения"},
    "empty": {"kk": "бос", "ru": "пусто"},
    "first-entry": {"kk": "1-енгізу жасалды", "ru": "введён один раз"},
    "different": {"kk": "енгізулер сәйкес емес", "ru": "вводы расходятся"},
    "warnings": {"kk": "ескертулер бар", "ru": "есть предупреждения"},
    "accepted": {"kk": "қабылданды", "ru": "принят"},
    # protocol scans (issue 26): the commission uploads the paper protocol beside its figures
    "Scans of the paper protocols": {"kk": "Қағаз хаттамалардың сканерлері", "ru": "Сканы бумажных протоколов"},
    "Scan or photo (JPEG, PNG or PDF, at most 8 MB)": {
        "kk": "Скан немесе фото (JPEG, PNG не PDF, 8 МБ-тан аспайды)",
        "ru": "Скан или фото (JPEG, PNG или PDF, не более 8 МБ)",
    },
    "Upload": {"kk": "Жүктеу", "ru": "Загрузить"},
    "No scan uploaded yet.": {"kk": "Әзірге скан жүктелмеген.", "ru": "Сканы ещё не загружены."},
}


_ENGLISH: Mapping[str, str] = {
    "registered": "Registered voters",
    "received": "Ballots received",
    "issued": "Ballots issued",
    "issued_absentee": "of which by absentee certificate",
    "issued_outside": "of which outside the premises",
    "cancelled": "Cancelled (unused) ballots",
    "found": "Ballots found in the boxes",
    "invalid": "Invalid ballots",
    "against_all": "Against all",
    "list": "Party-list ballot",
    "district": "District ballot",
    "keep-first": "Keep entry 1",
    "keep-second": "Keep entry 2",
    "discard-first": "Discard entry 1",
    "discard-second": "Discard entry 2",
    "discard-both": "Discard both",
    "accept-warnings": "Accept the warnings",
    "reopen": "Reopen",
    "first-entry": "entered once",
    "different": "entries differ",
    "warnings": "warnings",
    "remainder": "Tied remainder",
    "average": "Tied average",
    "excess": "Tied remainder (a seat given back)",
}
"""English where the key is not already the English word; the checks' words come from `saylau.reports.checks`."""


class Said(dict[str, str]):
    """The words of one page's language: the table above, then the catalogues (`saylau/locale`) for any
    other msgid a template asks for (`w["Registration"]`, `w["role|operator"]`); `n` says a counted phrase."""

    def __init__(self, table: Mapping[str, str], lang: str) -> None:
        super().__init__(table)
        self.lang = lang

    def __missing__(self, key: str) -> str:
        return translator(self.lang)(key)

    def field(self, name: str) -> str:
        """A refusal's field as the page names it: a protocol line's words, an option's name, else the catalogue's
        `field|name` (`password`), else the name itself."""
        if name in self:
            return self[name]
        if name.startswith(("votes.", "vote:", "votes:")):
            return name.split(".", 1)[-1].split(":", 1)[-1]
        return translator(self.lang)(f"field|{name}")

    def n(self, singular: str, plural: str, count: int, **figures: object) -> str:
        """A counted phrase in the page's language (gettext's ngettext), `{n}` the count as the locale writes it."""
        return catalogue_words(self.lang).n(singular, plural, count, **figures)


def words(lang: str) -> Said:
    """Every word in `lang` (English where a translation is missing), for the templates."""
    english = {key: _ENGLISH.get(key, key) for key in _WORDS}
    found = {key: table.get(lang, english[key]) for key, table in _WORDS.items()}
    return Said(found | {code.value: clerk(code, lang) for code in Code}, lang)


def language(requested: str | None) -> str:
    """The language to show: the one asked for if known, else English."""
    return requested if requested in LANGUAGES else "en"
