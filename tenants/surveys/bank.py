"""The item bank every library shares: Project Outcome-style statements per outcome area, each in plain,
easy-read and large-print form, in English, Latvian and Lithuanian. It lives in code, so that every
installation asks the same questions in the same words and answers stay comparable across countries;
`ensure_bank` writes it into the global `survey_item` table (idempotently: a changed wording is updated in
place, the item keeps its id and its answers).

The statements avoid gendered adjectives in Latvian and Lithuanian ("jūtos mierīgāk", "jaučiuosi ramiau"),
so one form serves every respondent.
"""
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenants.surveys.models import Outcome, SurveyItem

FORMS = ("plain", "easy_read", "large_print")
LANGUAGES = ("en", "lv", "lt")

# key → (outcome, {form: {language: statement}}), in the order the bank lists them.
BANK: dict[str, tuple[Outcome, dict[str, dict[str, str]]]] = {
    "knowledge.learned": (Outcome.KNOWLEDGE, {
        "plain": {"en": "I learned something new during this activity.", "lv": "Šīs nodarbības laikā es uzzināju kaut ko jaunu.", "lt": "Šio užsiėmimo metu sužinojau kažką naujo."},
        "easy_read": {"en": "I learned something new.", "lv": "Es uzzināju kaut ko jaunu.", "lt": "Sužinojau kažką naujo."},
        "large_print": {"en": "I learned something new here.", "lv": "Es šeit uzzināju kaut ko jaunu.", "lt": "Čia sužinojau kažką naujo."},
    }),
    "knowledge.understand": (Outcome.KNOWLEDGE, {
        "plain": {"en": "I understand the topic better than before.", "lv": "Es saprotu tēmu labāk nekā iepriekš.", "lt": "Temą suprantu geriau nei anksčiau."},
        "easy_read": {"en": "Now I understand more.", "lv": "Tagad es saprotu vairāk.", "lt": "Dabar suprantu daugiau."},
        "large_print": {"en": "I understand the topic better now.", "lv": "Tagad es labāk saprotu tēmu.", "lt": "Dabar geriau suprantu temą."},
    }),
    "confidence.more_confident": (Outcome.CONFIDENCE, {
        "plain": {"en": "I feel more confident about what I learned.", "lv": "Man ir lielāka pārliecība par to, ko iemācījos.", "lt": "Labiau pasitikiu tuo, ką išmokau."},
        "easy_read": {"en": "I feel sure I can do it.", "lv": "Man ir pārliecība, ka es to varu.", "lt": "Tikiu, kad galiu tai padaryti."},
        "large_print": {"en": "I feel more confident now.", "lv": "Tagad man ir lielāka pārliecība.", "lt": "Dabar labiau savimi pasitikiu."},
    }),
    "confidence.ask_for_help": (Outcome.CONFIDENCE, {
        "plain": {"en": "I feel more confident asking library staff for help.", "lv": "Man ir vieglāk lūgt palīdzību bibliotēkas darbiniekiem.", "lt": "Man lengviau paprašyti bibliotekos darbuotojų pagalbos."},
        "easy_read": {"en": "I can ask the library staff for help.", "lv": "Es varu lūgt palīdzību bibliotēkas darbiniekiem.", "lt": "Galiu paprašyti bibliotekos darbuotojų pagalbos."},
        "large_print": {"en": "I feel able to ask staff for help.", "lv": "Man ir vieglāk lūgt palīdzību.", "lt": "Man lengviau paprašyti pagalbos."},
    }),
    "application.intend_to_apply": (Outcome.APPLICATION, {
        "plain": {"en": "I intend to apply what I learned.", "lv": "Es plānoju izmantot to, ko iemācījos.", "lt": "Ketinu pritaikyti tai, ką išmokau."},
        "easy_read": {"en": "I will use what I learned.", "lv": "Es izmantošu to, ko iemācījos.", "lt": "Naudosiu tai, ką išmokau."},
        "large_print": {"en": "I plan to use what I learned.", "lv": "Es gribu izmantot iemācīto.", "lt": "Planuoju naudoti tai, ką išmokau."},
    }),
    "application.used_it": (Outcome.APPLICATION, {
        "plain": {"en": "I have used what I learned in my daily life.", "lv": "Iemācītais man ir noderējis ikdienā.", "lt": "Tai, ką išmokau, pritaikiau kasdieniame gyvenime."},
        "easy_read": {"en": "I used what I learned at home or at work.", "lv": "Iemācītais man noderēja mājās vai darbā.", "lt": "Tai, ką išmokau, naudojau namuose ar darbe."},
        "large_print": {"en": "I have used what I learned.", "lv": "Iemācītais man ir noderējis.", "lt": "Tai, ką išmokau, jau pritaikiau."},
    }),
    "awareness.services": (Outcome.AWARENESS, {
        "plain": {"en": "I am more aware of the services the library offers.", "lv": "Es vairāk zinu par bibliotēkas piedāvātajiem pakalpojumiem.", "lt": "Daugiau žinau apie bibliotekos teikiamas paslaugas."},
        "easy_read": {"en": "I know more about how the library can help me.", "lv": "Es zinu vairāk par to, kā bibliotēka var man palīdzēt.", "lt": "Daugiau žinau, kuo biblioteka gali man padėti."},
        "large_print": {"en": "I know more about library services.", "lv": "Es zinu vairāk par bibliotēkas pakalpojumiem.", "lt": "Daugiau žinau apie bibliotekos paslaugas."},
    }),
    "awareness.where_to_go": (Outcome.AWARENESS, {
        "plain": {"en": "I know where to go for more information or support.", "lv": "Es zinu, kur vērsties pēc papildu informācijas vai atbalsta.", "lt": "Žinau, kur kreiptis daugiau informacijos ar pagalbos."},
        "easy_read": {"en": "I know where to find help.", "lv": "Es zinu, kur atrast palīdzību.", "lt": "Žinau, kur rasti pagalbos."},
        "large_print": {"en": "I know where to find more help.", "lv": "Es zinu, kur atrast vairāk palīdzības.", "lt": "Žinau, kur rasti daugiau pagalbos."},
    }),
    "wellbeing.calm": (Outcome.WELLBEING, {
        "plain": {"en": "I feel calmer and more relaxed after the session.", "lv": "Pēc nodarbības jūtos mierīgāk un atbrīvotāk.", "lt": "Po užsiėmimo jaučiuosi ramiau, pavyko atsipalaiduoti."},
        "easy_read": {"en": "I feel calm now.", "lv": "Tagad es jūtos mierīgi.", "lt": "Dabar jaučiuosi ramiai."},
        "large_print": {"en": "I feel calmer after the session.", "lv": "Pēc nodarbības jūtos mierīgāk.", "lt": "Po užsiėmimo jaučiuosi ramiau."},
    }),
    "wellbeing.mood": (Outcome.WELLBEING, {
        "plain": {"en": "My mood is better than before the session.", "lv": "Mans garastāvoklis ir labāks nekā pirms nodarbības.", "lt": "Mano nuotaika geresnė nei prieš užsiėmimą."},
        "easy_read": {"en": "I feel happier now.", "lv": "Tagad es jūtos priecīgāk.", "lt": "Dabar jaučiuosi linksmiau."},
        "large_print": {"en": "My mood is better now.", "lv": "Tagad mans garastāvoklis ir labāks.", "lt": "Dabar mano nuotaika geresnė."},
    }),
    "wellbeing.safe": (Outcome.WELLBEING, {
        "plain": {"en": "I felt safe and at ease in the room.", "lv": "Telpā es jutos droši un labi.", "lt": "Kambaryje jaučiausi saugiai ir gerai."},
        "easy_read": {"en": "I felt safe here.", "lv": "Šeit es jutos droši.", "lt": "Čia jaučiausi saugiai."},
        "large_print": {"en": "I felt safe and at ease.", "lv": "Es jutos droši un labi.", "lt": "Jaučiausi saugiai ir gerai."},
    }),
}


def ensure_bank() -> int:
    """Write the bank into the database: add the items it lacks, bring changed wordings up to date. Returns how
    many items were added or changed (0 once it is in step)."""
    stored = {item.key: item for item in db.session.scalars(sa.select(SurveyItem))}
    changed = 0
    for position, (key, (outcome, texts)) in enumerate(BANK.items()):
        item = stored.get(key)
        if item is None:
            item = SurveyItem(key=key)
            db.session.add(item)
        wanted = {"outcome": outcome, "position": position, **{form: dict(texts[form]) for form in FORMS}}
        if any(getattr(item, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(item, name, value)
            changed += 1
    db.session.flush()
    return changed


def bank_items() -> list[SurveyItem]:
    """The bank, in its order (written first if it is not yet)."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(SurveyItem)) < len(BANK):
        ensure_bank()
    return list(db.session.scalars(sa.select(SurveyItem).order_by(SurveyItem.position, SurveyItem.id)))


def statement(item: SurveyItem, form: str, language: str) -> str:
    """The item's statement in a form and language, falling back to plain, then to English."""
    texts = getattr(item, form if form in FORMS else "plain") or {}
    return texts.get(language) or (item.plain or {}).get(language) or texts.get("en") or (item.plain or {}).get("en", item.key)
