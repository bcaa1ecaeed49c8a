"""The fixed word lists: chat abbreviations, stop words and each language's marker words."""

from __future__ import annotations

CHAT_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    # Dutch chat
    "ff": ("even",),
    "effe": ("even",),
    "efkes": ("even",),
    "wnr": ("wanneer",),
    "wnn": ("wanneer",),
    "mn": ("mijn",),
    "mijne": ("mijn",),
    "zn": ("zijn",),
    "jou": ("jouw",),
    "ipv": ("in", "plaats", "van"),
    "eig": ("eigenlijk",),
    "eigl": ("eigenlijk",),
    "gwn": ("gewoon",),
    "gewn": ("gewoon",),
    "ies": ("iets",),
    "wss": ("waarschijnlijk",),
    "sws": ("sowieso",),
    "idd": ("inderdaad",),
    "nie": ("niet",),
    "ni": ("niet",),
    "nt": ("niet",),
    "tog": ("toch",),
    "wa": ("wat",),
    "da": ("dat",),
    "ma": ("maar",),
    "kben": ("ik", "ben"),
    "kheb": ("ik", "heb"),
    "kweet": ("ik", "weet"),
    "w8": ("wacht",),
    "hw": ("huiswerk",),
    "bijv": ("bijvoorbeeld",),
    "bv": ("bijvoorbeeld",),
    "bvb": ("bijvoorbeeld",),
    "evt": ("eventueel",),
    "mss": ("misschien",),
    "instas": ("insta",),
    # English chat
    "u": ("you",),
    "ur": ("your",),
    "r": ("are",),
    "y": ("why",),
    "idk": ("i", "do", "not", "know"),
    "dunno": ("do", "not", "know"),
    "pls": (),
    "plz": (),
    "pliz": (),
    "please": (),
    "btw": (),
    "tbh": (),
    "imo": (),
    "ngl": (),
    "fr": (),
    "rn": ("right", "now"),
    "b4": ("before",),
    "bc": ("because",),
    "cuz": ("because",),
    "coz": ("because",),
    "smth": ("something",),
    "sth": ("something",),
    "sm1": ("someone",),
    "some1": ("someone",),
    "any1": ("anyone",),
    "2day": ("today",),
    "gonna": ("going", "to"),
    "wanna": ("want", "to"),
    "gotta": ("have", "to"),
    "whats": ("what", "is"),
    "thats": ("that", "is"),
    "hows": ("how", "is"),
    "whos": ("who", "is"),
    "im": ("i", "am"),
    "ive": ("i", "have"),
    "id": ("i", "would"),
    "dont": ("do", "not"),
    "doesnt": ("does", "not"),
    "didnt": ("did", "not"),
    "cant": ("can", "not"),
    "isnt": ("is", "not"),
    "arent": ("are", "not"),
    "wont": ("will", "not"),
    "shouldnt": ("should", "not"),
    "pic": ("picture",),
    "pics": ("pictures",),
    "convo": ("conversation",),
    "convos": ("conversations",),
    "sm": ("social", "media"),
    "socmed": ("social", "media"),
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS_NL = _words(
    """
    de het een en of maar dan dat die dit deze der des den d t in op aan af bij door met mee
    naar om onder over tot tussen uit van voor tegen na zonder via per sinds tijdens volgens
    ik je jij u hij zij ze we wij mij me mijn m jouw jullie zijn haar hun hen ons onze uw men
    iets niets niks wat waar wanneer welke welk hoeveel hoelang waarmee waarover wiens
    is ben bent was waren wordt word worden werd geweest heb hebt heeft hebben had hadden kan
    kun kunt kunnen kon konden zal zult zullen zou zouden wil wilt willen moet moeten moest
    hoef hoeft hoeven ga gaat gaan ging doe doet doen deed gedaan krijg krijgt krijgen kom
    komt komen laat laten er hier daar nu toen al nog ook wel niet geen nooit altijd heel zo
    zeer veel meer minder even gewoon eigenlijk echt toch alleen misschien waarschijnlijk
    sowieso dus want omdat zodat terwijl hoor he nou joh yo bro man lol haha hahaha xd
    inderdaad eventueel bijvoorbeeld ergens daarin daarmee daarvan daarover erin ermee
    erover ervan erop eraan zich zelf zelfs steeds elk elke ieder iedere soms vaak beetje
    ja nee weet denk bedoel niemand nergens verwacht verwachten goed goede algemeen check
    checken checkt gecheckt als te eerst voordat zitten zit zat staat staan stond maken maak
    maakt gemaakt lijken lijkt precies houden houdt hou helemaal totaal
    ofzo enzo ofso zoiets uberhaupt trouwens sowieso dan nou eens gwoon
    weer zomaar ding dingen daarop daarbij daaraan daarvoor daardoor hierop hierover hiermee
    hiervan hierin hierbij waarop waarin waarbij waaraan waarvan eerlijk gezegd
    hem ie zon zulk zulke zei zeggen zegt kwam kreeg kregen gekregen sprak ervoor
    ernaar ertegen erachter erbij erdoor eruit erna weleens zichzelf mezelf jezelf
    elkaar paar overal allang letterlijk exact half flink enorm super bepaald bepaalde
    bepaalt n eigelijk waneer wtf bruh ong lowkey random beste best alvast
    """
)

STOPWORDS_EN = _words(
    """
    the a an and or but if then than that this these those there here in on at to of for from
    with without by into onto over under between through during after before as is am are was
    were be been being do does did done doing have has had having can could will would shall
    should may might must i me my mine you your yours he him his she her it its we us our they
    them their what which whose when where not no yes so just really very also too only even
    still any some each much many more most other such own same please lol lmao bro dude guys
    like get got going want getting gets something anything things thing stuff actually
    basically literally kinda sorta well um uh hmm yeah yep nope right about nobody
    supposed expected required good general generally go goes went check checking checked
    isn yet make makes making made look looks looking
    honestly seriously anyway ever again thereby therefore
    ago during durin past exactly half pretty quite whole wtf bruh lowkey random
    """
)

STOPWORDS = STOPWORDS_NL | STOPWORDS_EN

NL_MARKERS = _words(
    """
    de het een ik je jij mag mogen wat hoe van op niet dat die er mijn wel ook voor met als
    naar wordt zijn kan moet maar dan toch nog eigenlijk gewoon waarom wanneer wie welke jouw
    onze iemand iets hebben heb heeft ben bent worden word mee uit bij deze dit zo al tijdens
    onder zonder even mn ff gwn eig dus hoor nou wij jullie ze zij hij geen nooit altijd
    les klas pauze leerling leerlingen docent leraar waar
    """
)
EN_MARKERS = _words(
    """
    the a an i you can what how my not it to do does should with for about if be am are this
    that when why who which someone something get got at your our we they them there have
    has will would could allowed teacher teachers class lesson student students and or
    """
)

NAMES = _words(
    """
    compass instagram insta facebook discord twitter linkedin youtube snapchat snap tiktok
    whatsapp reddit twitch pinterest telegram bereal threads bot
    """
)
"""Names of the school and of apps: a word of neither language when the language is told
from the dictionaries (`text.detect_language`), though a dictionary may list one."""
APP_NAMES = NAMES - {"compass", "bot"}
"""The apps' names alone: the clause model reads them as the concept PLATFORM, not as letters
(`model.features`)."""

HOUR_WORDS = _words("uur uren uurtje uurtjes hour hours")
"""After a cardinal (COUNT_WORDS, digits) a time of day or a duration, not the lesson hour."""
COUNT_WORDS = _words(
    """
    twee drie vier vijf zes zeven acht negen tien elf twaalf half anderhalf paar enkele hoeveel
    two three four five six seven eight nine ten eleven twelve few couple many
    """
)

SHORT_HEADS = frozenset({"les", "app"})
"""Three-letter concept words that end compounds often enough to split off (tekenles)."""
