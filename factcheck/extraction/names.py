"""Small static lexicons used to guess the grammatical gender of a person's name.

Only used to resolve "he said" / "she added" to the right earlier-named person; a wrong or
missing guess just falls back to the most recent speaker. Lower-case first names.
"""

MALE_FIRST_NAMES = frozenset(
    """
    aaron abdul abdullah adam adrian ahmed aleksandr aleksei aleksey alex alexander alexandre
    alexei alexey ali alistair andre andrei andrej andrew andrey andriy angus anthony antonio
    antony antoni arnold arthur barack ben benjamin benny bernard bernie bill bob boris brad
    bradley brandon brian bruce carl carlos charles charlie chris christian christopher chuck
    colin cory craig dan daniel danny dave david denis dennis derek dmitri dmitry dmytro donald
    doug douglas duncan dylan ed eddie edward emmanuel eric erik evan evgeny fedor felix fernando
    francis francisco frank franz fred frederick friedrich gary gavin geoff geoffrey george
    gerald gerhard giorgio giuseppe gordon graham greg gregory guy hans harold harry hassan
    heinz henry herbert howard hugh hugo ian igor ilya ivan jack jacob jake james jamie jan
    jared jason javier jay jean jeff jeffrey jens jeremy jerome jerry jim jimmy joe joel johan
    johann john johnny jon jonathan jordan jorge jose josef joseph josep josh joshua juan julian
    justin karl keith ken kevin kirill klaus konstantin kurt kyle larry lars leon leonid
    lindsey lloyd louis luca lucas luis luke malcolm marco marcus mario mark martin matt
    matteo matthew maurice max maxim maxime michael michel miguel mihail mikhail mike mikhail
    mitch mitt mohammed muhammad nathan neil nicholas nick nicolas nigel nikita nikolai nikolay
    noah oleg oleksandr oleksiy olaf oliver omar oscar owen pablo patrick paul pavel pedro
    peter petro petr phil philip philippe pierre rafael ralph ramzan randy ray raymond recep
    richard rick rishi rob robert robin rodrigo roger roman ron ronald roy rudy rupert russell
    ryan sam samuel scott sean sebastian serge sergei sergey sergiy sean simon stanislav stefan
    stephen steve steven stuart ted terry thierry thomas tim timothy toby todd tom tony travis
    valery vasily victor viktor vince vincent vitali vitaly vladimir vladislav volodymyr walter
    wayne william xi yevgeny yuri yury zach zachary
    """.split()
)

FEMALE_FIRST_NAMES = frozenset(
    """
    abigail ada agnes alexandra alice alina alison allison amanda amy ana anastasia andrea
    angela angelina anita ann anna anne annalena annette antonia ashley barbara bathsheba beata
    betsy beth betty brenda bridget caroline carol catherine cathy charlotte chelsea christina
    christine claire clara claudia cynthia daria dasha deborah debbie diana diane donna dora
    dorothy elena elisabeth elise eliza elizabeth ella ellen elvira emily emma erin eva evelyn
    florence frances francesca gabriela gabrielle gina giorgia gloria grace hanna hannah heather
    helen helena hillary holly ilhan ingrid irina isabel isabella jacinda jane janet janice
    jen jennifer jessica jill joan joanna jodi josephine joy judith judy julia julie karen
    kamala karin kate katherine kathleen kathryn katie kaja katrin kelly kim kimberly kristen
    kristina laura lauren leah liana linda lisa liz liza lucy lyudmila madeleine margaret
    margarethe maria mariana marie marina marine marion martha mary maya megan melania melissa
    mette michelle mia nadia nancy natalia natalie natasha nicola nicole nikki nina olena olga
    pamela patricia paula pauline penny rachel rebecca rita rosa rose ruth sabine samantha sandra
    sanna sara sarah sharon sheila sofia sonia sophie stephanie susan suzanne svetlana tamara
    tanya tatiana tatyana teresa theresa tina ursula valentina valerie vanessa vera veronica
    victoria viktoria virginia wendy yulia yuliya zoe
    """.split()
)

MALE_HONORIFICS = frozenset({"mr", "mr.", "sir", "lord", "king", "prince", "father", "brother"})
FEMALE_HONORIFICS = frozenset(
    {"mrs", "mrs.", "ms", "ms.", "miss", "madam", "madame", "dame", "lady", "queen", "princess", "sister"}
)


def gender_of_name(full_name: str, honorific: str = "") -> str | None:
    """Return "m", "f" or None for a person name such as "Jane Okafor" (honorific e.g. "Mr.")."""
    title = honorific.strip().lower()
    if title in MALE_HONORIFICS:
        return "m"
    if title in FEMALE_HONORIFICS:
        return "f"
    parts = full_name.replace(".", " ").split()
    if len(parts) < 2:
        return None
    first = parts[0].lower()
    if first in MALE_FIRST_NAMES:
        return "m"
    if first in FEMALE_FIRST_NAMES:
        return "f"
    return None
